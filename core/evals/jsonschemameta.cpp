#include "evals/jsonschemacheck.h"

namespace ts::jsonschema {

// The draft-07 meta-schema (https://json-schema.org/draft-07/schema), so that
// {"$ref": "http://json-schema.org/draft-07/schema#"} resolves without the network.
const char *draft07MetaSchema()
{
    return R"JSON({"$schema":"http://json-schema.org/draft-07/schema#","$id":"http://json-schema.org/draft-0)JSON"
           R"JSON(7/schema#","title":"Core schema meta-schema","definitions":{"schemaArray":{"type":"array",)JSON"
           R"JSON("minItems":1,"items":{"$ref":"#"}},"nonNegativeInteger":{"type":"integer","minimum":0},"no)JSON"
           R"JSON(nNegativeIntegerDefault0":{"allOf":[{"$ref":"#/definitions/nonNegativeInteger"},{"default")JSON"
           R"JSON(:0}]},"simpleTypes":{"enum":["array","boolean","integer","null","number","object","string")JSON"
           R"JSON(]},"stringArray":{"type":"array","items":{"type":"string"},"uniqueItems":true,"default":[])JSON"
           R"JSON(}},"type":["object","boolean"],"properties":{"$id":{"type":"string","format":"uri-referenc)JSON"
           R"JSON(e"},"$schema":{"type":"string","format":"uri"},"$ref":{"type":"string","format":"uri-refer)JSON"
           R"JSON(ence"},"$comment":{"type":"string"},"title":{"type":"string"},"description":{"type":"strin)JSON"
           R"JSON(g"},"default":true,"readOnly":{"type":"boolean","default":false},"examples":{"type":"array)JSON"
           R"JSON(","items":true},"multipleOf":{"type":"number","exclusiveMinimum":0},"maximum":{"type":"num)JSON"
           R"JSON(ber"},"exclusiveMaximum":{"type":"number"},"minimum":{"type":"number"},"exclusiveMinimum":)JSON"
           R"JSON({"type":"number"},"maxLength":{"$ref":"#/definitions/nonNegativeInteger"},"minLength":{"$r)JSON"
           R"JSON(ef":"#/definitions/nonNegativeIntegerDefault0"},"pattern":{"type":"string","format":"regex)JSON"
           R"JSON("},"additionalItems":{"$ref":"#"},"items":{"anyOf":[{"$ref":"#"},{"$ref":"#/definitions/sc)JSON"
           R"JSON(hemaArray"}],"default":true},"maxItems":{"$ref":"#/definitions/nonNegativeInteger"},"minIt)JSON"
           R"JSON(ems":{"$ref":"#/definitions/nonNegativeIntegerDefault0"},"uniqueItems":{"type":"boolean",")JSON"
           R"JSON(default":false},"contains":{"$ref":"#"},"maxProperties":{"$ref":"#/definitions/nonNegative)JSON"
           R"JSON(Integer"},"minProperties":{"$ref":"#/definitions/nonNegativeIntegerDefault0"},"required":{)JSON"
           R"JSON("$ref":"#/definitions/stringArray"},"additionalProperties":{"$ref":"#"},"definitions":{"ty)JSON"
           R"JSON(pe":"object","additionalProperties":{"$ref":"#"},"default":{}},"properties":{"type":"objec)JSON"
           R"JSON(t","additionalProperties":{"$ref":"#"},"default":{}},"patternProperties":{"type":"object",)JSON"
           R"JSON("additionalProperties":{"$ref":"#"},"propertyNames":{"format":"regex"},"default":{}},"depe)JSON"
           R"JSON(ndencies":{"type":"object","additionalProperties":{"anyOf":[{"$ref":"#"},{"$ref":"#/defini)JSON"
           R"JSON(tions/stringArray"}]}},"propertyNames":{"$ref":"#"},"const":true,"enum":{"type":"array","i)JSON"
           R"JSON(tems":true},"type":{"anyOf":[{"$ref":"#/definitions/simpleTypes"},{"type":"array","items":)JSON"
           R"JSON({"$ref":"#/definitions/simpleTypes"},"minItems":1,"uniqueItems":true}]},"format":{"type":")JSON"
           R"JSON(string"},"contentMediaType":{"type":"string"},"contentEncoding":{"type":"string"},"if":{"$)JSON"
           R"JSON(ref":"#"},"then":{"$ref":"#"},"else":{"$ref":"#"},"allOf":{"$ref":"#/definitions/schemaArr)JSON"
           R"JSON(ay"},"anyOf":{"$ref":"#/definitions/schemaArray"},"oneOf":{"$ref":"#/definitions/schemaArr)JSON"
           R"JSON(ay"},"not":{"$ref":"#"}},"default":true})JSON";
}

} // namespace ts::jsonschema
