#include "io/testcasedata.h"

#include <QCryptographicHash>

namespace ts {

QByteArray contentKey(const TestCaseData &testCase)
{
    // nlohmann::json stores objects in a std::map, so dump() already sorts keys at every depth.
    QStringList tags = testCase.tags;
    tags.sort();
    tags.removeDuplicates();
    nlohmann::json tagArray = nlohmann::json::array();
    for (const QString &tag : std::as_const(tags))
        tagArray.push_back(tag.toStdString());

    nlohmann::json canonical = nlohmann::json::object();
    canonical["vars"] = testCase.vars;
    canonical["expected"] = testCase.expected ? nlohmann::json(testCase.expected->toStdString())
                                              : nlohmann::json(nullptr);
    canonical["tags"] = std::move(tagArray);
    canonical["description"] = testCase.description.toStdString();

    const std::string text
        = canonical.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return QCryptographicHash::hash(QByteArrayView(text.data(), qsizetype(text.size())),
                                    QCryptographicHash::Sha256)
        .toHex();
}

} // namespace ts
