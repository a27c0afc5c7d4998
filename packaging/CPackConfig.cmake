# CPack settings for a Debian package: `cpack -G DEB` in the build directory.
set(CPACK_PACKAGE_NAME "touchstone")
set(CPACK_PACKAGE_VENDOR "Touchstone developers")
set(CPACK_PACKAGE_CONTACT "Touchstone developers <touchstone@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)

install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/packaging/io.touchstone.Touchstone.desktop
        DESTINATION share/applications)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/packaging/io.touchstone.Touchstone.metainfo.xml
        DESTINATION share/metainfo)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/packaging/touchstone-mime.xml
        DESTINATION share/mime/packages RENAME touchstone.xml)
include(CPack)
