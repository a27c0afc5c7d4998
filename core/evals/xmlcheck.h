#pragma once

// Internal to core_evals: promptfoo's is-xml and contains-xml.

#include <QString>
#include <QStringList>

namespace ts::xmlcheck {

struct XmlVerdict
{
    bool valid = false;
    QString reason; ///< "XML is valid and contains all required elements", or what is wrong
};

/// The whole text is one well-formed XML document (an optional declaration, comments and
/// a doctype without internal subset, one root element) that has every required element.
/// A required element is a dotted path of element names from the root ("analysis.summary");
/// a numeric step picks one of repeated elements ("items.item.1"), "@_name" an attribute.
XmlVerdict validateXml(const QString &text, const QStringList &requiredElements = {});

/// Some element embedded in the text (outermost first, in order) is well-formed XML with
/// every required element.
XmlVerdict containsXml(const QString &text, const QStringList &requiredElements = {});

} // namespace ts::xmlcheck
