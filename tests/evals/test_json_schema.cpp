#include "evals/jsonschema.h"

#include <QtTest>

using namespace ts;
using json = nlohmann::json;

namespace {

JsonSchemaValidator make(const json &schema)
{
    auto v = JsonSchemaValidator::create(schema);
    if (!v)
        qFatal("schema rejected: %s", qPrintable(v.error().message));
    return *v;
}

QStringList errors(const json &schema, const json &instance)
{
    QStringList out;
    for (const SchemaError &e : make(schema).validate(instance))
        out.append(e.toString());
    return out;
}

const json kAnswerSchema
    = json::parse("{\n"
                  "  \"type\": \"object\",\n"
                  "  \"properties\": {\n"
                  "    \"answer\": {\"type\": \"string\", \"minLength\": 1},\n"
                  "    \"confidence\": {\"type\": \"number\", \"minimum\": 0, \"maximum\": 1},\n"
                  "    \"sources\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, "
                  "\"maxItems\": 3, \"uniqueItems\": true}\n"
                  "  },\n"
                  "  \"required\": [\"answer\", \"confidence\"],\n"
                  "  \"additionalProperties\": false\n"
                  "}");

const char *const kSchema1
    = "{\"definitions\": {\"a/b\": {\"type\": \"integer\"}, \"c~d\": {\"type\": \"string\"}"
      ", \"e%f\": {\"type\": \"boolean\"}}, \"properties\": {\"x\": {\"$ref\": \"#/definit"
      "ions/a~1b\"}, \"y\": {\"$ref\": \"#/definitions/c~0d\"}, \"z\": {\"$ref\": \"#/def"
      "initions/e%25f\"}}}";
const char *const kSchema2
    = "{\"dependencies\": {\"card\": [\"billing\"], \"vip\": {\"required\": [\"tier\"]}}}";
const char *const kSchema3
    = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"$defs\": {"
      "\"name\": {\"type\": \"string\", \"minLength\": 1}}, \"type\": \"object\", \"proper"
      "ties\": {\"name\": {\"$ref\": \"#/$defs/name\", \"maxLength\": 5}, \"pair\": {\"pr"
      "efixItems\": [{\"type\": \"string\"}, {\"type\": \"integer\"}], \"items\": false}"
      "}, \"dependentRequired\": {\"email\": [\"verified\"]}, \"dependentSchemas\": {"
      "\"age\": {\"properties\": {\"age\": {\"minimum\": 18}}}}, \"unevaluatedProperti"
      "es\": false}";
const char *const kSchema4
    = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"allOf\": ["
      "{\"properties\": {\"a\": true}}], \"properties\": {\"b\": true}, \"unevaluatedP"
      "roperties\": false}";

} // namespace

class TestJsonSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptsConformingResponse()
    {
        QVERIFY(
            make(kAnswerSchema)
                .isValid(json::parse(
                    "{\"answer\": \"Paris\", \"confidence\": 0.9, \"sources\": [\"a\", \"b\"]}")));
    }

    void reportsPathAndReason()
    {
        QCOMPARE(errors(kAnswerSchema, json::parse("{\"answer\": 3, \"confidence\": 0.5}")),
                 QStringList {QStringLiteral("/answer: expected string, got number")});
        const QStringList all = errors(
            kAnswerSchema,
            json::parse("{\"confidence\": 2, \"extra\": true, \"sources\": [\"a\", \"a\"]}"));
        QVERIFY(all.contains(QStringLiteral("/: missing required property \"answer\"")));
        QVERIFY(all.contains(QStringLiteral("/confidence: 2 is greater than the maximum 1")));
        QVERIFY(all.contains(QStringLiteral("/: property \"extra\" is not allowed")));
        QVERIFY(all.contains(
            QStringLiteral("/sources: items 0 and 1 are equal; items must be unique")));
        // first error only
        QCOMPARE(make(kAnswerSchema)
                     .validate(json::parse("{\"confidence\": 2, \"extra\": true}"), false)
                     .size(),
                 1);
    }

    void typesIncludingIntegerAndUnions()
    {
        const json integer = {{"type", "integer"}};
        QVERIFY(make(integer).isValid(3));
        QVERIFY(make(integer).isValid(3.0)); // JSON Schema: 3.0 is an integer
        QCOMPARE(errors(integer, 3.5),
                 QStringList {QStringLiteral("/: expected integer, got number")});
        const json nullable = {{"type", {"string", "null"}}};
        QVERIFY(make(nullable).isValid(nullptr));
        QVERIFY(make(nullable).isValid("x"));
        QCOMPARE(errors(nullable, true),
                 QStringList {QStringLiteral("/: expected string or null, got boolean")});
    }

    void enumConstAndNumbers()
    {
        QVERIFY(make({{"enum", {"yes", "no"}}}).isValid("no"));
        QVERIFY(!make({{"enum", {"yes", "no"}}}).isValid("maybe"));
        QVERIFY(make({{"const", 5}}).isValid(5.0));
        QVERIFY(!make({{"const", 5}}).isValid(6));
        const json range = {{"exclusiveMinimum", 0}, {"exclusiveMaximum", 10}, {"multipleOf", 0.5}};
        QVERIFY(make(range).isValid(2.5));
        QVERIFY(!make(range).isValid(0));
        QVERIFY(!make(range).isValid(10));
        QVERIFY(!make(range).isValid(2.3));
        QVERIFY(make(range).isValid("not a number")); // numeric keywords ignore strings
    }

    void strings()
    {
        const json s
            = {{"type", "string"}, {"minLength", 2}, {"maxLength", 3}, {"pattern", "^[a-zé]+$"}};
        QVERIFY(make(s).isValid("éa")); // lengths count characters, not bytes
        QVERIFY(!make(s).isValid("a"));
        QVERIFY(!make(s).isValid("abcd"));
        QCOMPARE(
            errors(s, "AB"),
            QStringList {QStringLiteral("/: \"AB\" does not match the pattern \"^[a-zé]+$\"")});
        QVERIFY(make({{"pattern", "b"}}).isValid("abc")); // patterns search, they are not anchored
    }

    void arraysPrefixItemsAndTuples()
    {
        const json tuple2020
            = {{"prefixItems", {{{"type", "string"}}, {{"type", "number"}}}}, {"items", false}};
        QVERIFY(make(tuple2020).isValid(json {"a", 1}));
        QVERIFY(!make(tuple2020).isValid(json {"a", 1, 2}));
        QCOMPARE(errors(tuple2020, json {1, 1}),
                 QStringList {QStringLiteral("/0: expected string, got number")});
        const json tuple07
            = {{"items", {{{"type", "string"}}}}, {"additionalItems", {{"type", "boolean"}}}};
        QVERIFY(make(tuple07).isValid(json {"a", true, false}));
        QVERIFY(!make(tuple07).isValid(json {"a", 1}));
        const json bounded = {{"type", "array"}, {"minItems", 1}, {"contains", {{"const", "x"}}}};
        QVERIFY(make(bounded).isValid(json {"a", "x"}));
        QVERIFY(!make(bounded).isValid(json::array()));
        QVERIFY(!make(bounded).isValid(json {"a"}));
        QCOMPARE(errors({{"items", {{"type", "integer"}}}}, json {1, 2, "3"}),
                 QStringList {QStringLiteral("/2: expected integer, got string")});
    }

    void combinators()
    {
        const json anyOf = {{"anyOf", {{{"type", "string"}}, {{"type", "integer"}}}}};
        QVERIFY(make(anyOf).isValid(1));
        QVERIFY(!make(anyOf).isValid(1.5));
        const json oneOf = {{"oneOf", {{{"type", "number"}}, {{"type", "integer"}}}}};
        QVERIFY(make(oneOf).isValid(1.5));
        const QStringList both = errors(oneOf, 2);
        QCOMPARE(both.size(), 1);
        QVERIFY(both.first().contains(QStringLiteral("matches 2 of the oneOf alternatives")));
        const json allOf = {{"allOf", {{{"minimum", 1}}, {{"maximum", 3}}}}};
        QVERIFY(make(allOf).isValid(2));
        QVERIFY(!make(allOf).isValid(4));
        QVERIFY(!make({{"not", {{"type", "null"}}}}).isValid(nullptr));
        const json conditional = {{"if", {{"properties", {{"kind", {{"const", "a"}}}}}}},
                                  {"then", {{"required", {"a"}}}},
                                  {"else", {{"required", {"b"}}}}};
        QVERIFY(make(conditional).isValid(json {{"kind", "a"}, {"a", 1}}));
        QVERIFY(!make(conditional).isValid(json {{"kind", "b"}, {"a", 1}}));
    }

    void refsToDefinitionsAndDefs()
    {
        const json schema
            = json::parse("{\n"
                          "          \"$defs\": {\"name\": {\"type\": \"string\"}},\n"
                          "          \"definitions\": {\"person\": {\"type\": \"object\", "
                          "\"properties\": {\"name\": {\"$ref\": \"#/$defs/name\"},\n"
                          "                                     \"friends\": {\"type\": \"array\", "
                          "\"items\": {\"$ref\": \"#/definitions/person\"}}}}},\n"
                          "          \"$ref\": \"#/definitions/person\"\n"
                          "        }");
        QVERIFY(make(schema).isValid(
            json::parse("{\"name\": \"a\", \"friends\": [{\"name\": \"b\", \"friends\": []}]}")));
        QCOMPARE(errors(schema, json::parse("{\"name\": \"a\", \"friends\": [{\"name\": 1}]}")),
                 QStringList {QStringLiteral("/friends/0/name: expected string, got number")});
        // a loop that never reaches a value does not hang
        QVERIFY(
            !make(json::parse(
                      "{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/a\"}}, \"$ref\": \"#/$defs/a\"}"))
                 .isValid(1));
    }

    void booleanSchemasAndPatternProperties()
    {
        QVERIFY(make(true).isValid(42));
        QVERIFY(!make(false).isValid(42));
        const json pp = {{"patternProperties", {{"^x-", {{"type", "string"}}}}},
                         {"additionalProperties", false}};
        QVERIFY(make(pp).isValid(json {{"x-a", "s"}}));
        QVERIFY(!make(pp).isValid(json {{"x-a", 1}}));
        QVERIFY(!make(pp).isValid(json {{"y", "s"}}));
        QVERIFY(make({{"additionalProperties", {{"type", "number"}}}}).isValid(json {{"a", 1}}));
        QVERIFY(!make({{"additionalProperties", {{"type", "number"}}}}).isValid(json {{"a", "1"}}));
    }

    void pointerTokensAreEscaped()
    {
        QCOMPARE(errors({{"properties", {{"a/b", {{"type", "string"}}}}}}, json {{"a/b", 1}}),
                 QStringList {QStringLiteral("/a~1b: expected string, got number")});
    }

    void draft07ReferencesResolveByIdAndEscapedPointers()
    {
        // ~1 is "/", ~0 is "~", %25 is "%"
        const json escaped = json::parse(kSchema1);
        QVERIFY(make(escaped).isValid(json {{"x", 1}, {"y", "s"}, {"z", true}}));
        QCOMPARE(errors(escaped, json {{"x", "1"}}),
                 QStringList {QStringLiteral("/x: expected integer, got string")});

        // an $id names a subschema; relative references resolve against the nearest $id
        const json byId = {{"$id", "http://example.com/root.json"},
                           {"definitions",
                            {{"item", {{"$id", "item.json"}, {"type", "string"}}},
                             {"named", {{"$id", "#named"}, {"minimum", 3}}}}},
                           {"properties",
                            {{"i", {{"$ref", "item.json"}}},
                             {"n", {{"$ref", "#named"}}},
                             {"p", {{"$ref", "http://example.com/item.json"}}}}}};
        QVERIFY(make(byId).isValid(json {{"i", "a"}, {"n", 4}, {"p", "b"}}));
        QVERIFY(!make(byId).isValid(json {{"i", 1}}));
        QVERIFY(!make(byId).isValid(json {{"n", 2}}));

        // draft-07: keywords beside $ref are ignored
        const json sibling
            = {{"definitions", {{"s", {{"type", "string"}}}}},
               {"properties", {{"a", {{"$ref", "#/definitions/s"}, {"maxLength", 1}}}}}};
        QVERIFY(make(sibling).isValid(json {{"a", "long text"}}));

        // the draft-07 meta-schema resolves without the network
        const json meta = {{"$ref", "http://json-schema.org/draft-07/schema#"}};
        QVERIFY(make(meta).isValid(json {{"type", "string"}}));
        QVERIFY(!make(meta).isValid(json {{"type", 5}}));

        // other documents resolve when given to the validator, never over the network
        const QHash<QString, json> docs {
            {QStringLiteral("http://localhost:1234/integer.json"), json {{"type", "integer"}}}};
        auto remote
            = JsonSchemaValidator::create({{"$ref", "http://localhost:1234/integer.json"}}, docs);
        QVERIFY(remote.has_value());
        QVERIFY(remote->isValid(1));
        QVERIFY(!remote->isValid("a"));
    }

    void dependencies()
    {
        const json deps = json::parse(kSchema2);
        QVERIFY(make(deps).isValid(json {{"name", "x"}}));
        QVERIFY(make(deps).isValid(json {{"card", 1}, {"billing", 2}}));
        QCOMPARE(
            errors(deps, json {{"card", 1}}),
            QStringList {QStringLiteral(
                "/: missing required property \"billing\" (required when \"card\" is present)")});
        QVERIFY(!make(deps).isValid(json {{"vip", true}}));
    }

    void draft2020Keywords()
    {
        const json schema = json::parse(kSchema3);
        QVERIFY(make(schema).isValid(json {{"name", "Ada"}, {"pair", {"a", 1}}}));
        // 2020-12: keywords beside $ref apply
        QVERIFY(!make(schema).isValid(json {{"name", "Adalbert"}}));
        QVERIFY(!make(schema).isValid(json {{"pair", {"a", 1, 2}}}));
        QVERIFY(!make(schema).isValid(json {{"email", "a@b.c"}}));
        QVERIFY(!make(schema).isValid(json {{"age", 12}}));
        // "age" is evaluated by the dependent schema, so it is not an unevaluated property
        QVERIFY(make(schema).isValid(json {{"age", 30}}));
        QCOMPARE(
            errors(schema, json {{"extra", 1}}),
            QStringList {QStringLiteral("/: property \"extra\" is not allowed (unevaluated)")});

        // properties seen by an allOf branch count as evaluated
        const json merged = json::parse(kSchema4);
        QVERIFY(make(merged).isValid(json {{"a", 1}, {"b", 2}}));
        QVERIFY(!make(merged).isValid(json {{"a", 1}, {"c", 2}}));
    }

    void rejectsInvalidSchemas()
    {
        const auto check = [](const json &schema, const QString &needle) {
            const auto r = JsonSchemaValidator::validateSchema(schema);
            QVERIFY2(!r, qPrintable(needle));
            QVERIFY2(r.error().message.contains(needle), qPrintable(r.error().message));
        };
        check(json("object"), QStringLiteral("must be an object or a boolean"));
        check({{"type", "strng"}}, QStringLiteral("/type: unknown type \"strng\""));
        check({{"properties", {{"age", {{"type", {"int"}}}}}}},
              QStringLiteral("/properties/age/type"));
        check({{"pattern", "(a"}}, QStringLiteral("/pattern: invalid pattern"));
        check({{"required", "name"}}, QStringLiteral("/required"));
        check({{"minLength", -1}}, QStringLiteral("/minLength"));
        check({{"anyOf", json::array()}}, QStringLiteral("/anyOf"));
        check({{"$ref", "#/definitions/missing"}},
              QStringLiteral("does not point into this schema"));
        check({{"$ref", "https://example.com/s.json"}}, QStringLiteral("only references inside"));
        check({{"$ref", "#/definitions/a~1b"}, {"definitions", {{"a/c", true}}}},
              QStringLiteral("/$ref: \"#/definitions/a~1b\" does not point into this schema"));
        check({{"items", {{"type", 5}}}}, QStringLiteral("/items/type"));
        QVERIFY(JsonSchemaValidator::validateSchema(kAnswerSchema).has_value());
        QVERIFY(JsonSchemaValidator::validateSchema({{"format", "date-time"}, {"title", "t"}})
                    .has_value());
    }
};

QTEST_GUILESS_MAIN(TestJsonSchema)
#include "test_json_schema.moc"
