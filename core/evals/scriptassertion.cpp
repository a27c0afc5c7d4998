#include "evals/scriptassertion.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

namespace ts::scripts {

namespace {

using json = nlohmann::json;

const char kMarker[] = "\x1eTS_RESULT\x1e";

// Reads {file, fn, code, mode, output, context} on stdin, prints the marker and
// {ok, result | error}. The inline-code rules are promptfoo's (buildFunctionBody).
const char kNodeRunner[] = R"JS(
const fs = require('fs');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const emit = (o) => process.stdout.write('\n\u001eTS_RESULT\u001e' + JSON.stringify(o));
function escaped(code, i) { let n = 0; for (let j = i - 1; j >= 0 && code[j] === '\\'; j--) n++; return n % 2 === 1; }
function lastSemicolon(code) {
  let sq = false, dq = false, tq = false, last = -1;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (!escaped(code, i)) {
      if (c === "'" && !dq && !tq) sq = !sq;
      else if (c === '"' && !sq && !tq) dq = !dq;
      else if (c === '`' && !sq && !dq) tq = !tq;
    }
    if (c === ';' && !sq && !dq && !tq) last = i;
  }
  return last;
}
function functionBody(code) {
  const t = code.trim().replace(/;+\s*$/, '');
  if (/^(const|let|var)\s/.test(t)) {
    const i = lastSemicolon(t);
    if (i !== -1) {
      const expr = t.slice(i + 1).trim();
      if (expr) return `${t.slice(0, i + 1)} return ${expr}`;
    }
    return t;
  }
  return `return ${t}`;
}
(async () => {
  try {
    let fn;
    if (input.file) {
      let mod;
      if (/\.mjs$/.test(input.file)) mod = await import(require('url').pathToFileURL(input.file).href);
      else mod = require(input.file);
      if (input.fn) fn = mod[input.fn];
      else fn = typeof mod === 'function' ? mod : (mod && typeof mod.default === 'function' ? mod.default : mod);
      if (typeof fn !== 'function')
        throw new Error(`${input.file} does not export ${input.fn ? 'a function named ' + input.fn : 'a function'}`);
    } else {
      const code = input.code.trimEnd();
      const src = input.mode === 'transform'
        ? (code.includes('\n') ? code : `return ${code}`)
        : (code.includes('\n') ? code : functionBody(code));
      fn = new Function('output', 'context', 'process', src);
    }
    const result = await fn(input.output, input.context, process);
    emit({ ok: true, result: result === undefined ? null : result });
  } catch (e) {
    emit({ ok: false, error: e && e.message ? e.message : String(e) });
  }
})();
)JS";

const char kPythonRunner[] = R"PY(
import sys, json, os, importlib.util
def emit(o):
    sys.stdout.write("\n\x1eTS_RESULT\x1e" + json.dumps(o))
    sys.stdout.flush()
try:
    inp = json.load(sys.stdin)
    if inp.get("file"):
        path = inp["file"]
        sys.path.insert(0, os.path.dirname(path))
        spec = importlib.util.spec_from_file_location("touchstone_assertion", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        name = inp.get("fn") or "get_assert"
        fn = getattr(mod, name, None)
        if not callable(fn):
            raise Exception("%s defines no function %s(output, context)" % (path, name))
    else:
        ns = {}
        exec(compile(inp["source"], "<assertion>", "exec"), ns)
        fn = ns["main"]
    emit({"ok": True, "result": fn(inp["output"], inp["context"])})
except BaseException as e:
    emit({"ok": False, "error": "%s: %s" % (type(e).__name__, e)})
)PY";

QString interpreter(Language language)
{
    const QStringList names = language == Language::JavaScript
        ? QStringList {QStringLiteral("node"), QStringLiteral("nodejs")}
        : QStringList {QStringLiteral("python3"), QStringLiteral("python")};
    for (const QString &name : names) {
        const QString path = QStandardPaths::findExecutable(name);
        if (!path.isEmpty())
            return path;
    }
    return {};
}

// promptfoo's Python wrapping of inline code into main(output, context).
QString pythonSource(const QString &value)
{
    const bool multiline = value.contains(QLatin1Char('\n'));
    QString indent = QStringLiteral("    ");
    if (multiline) {
        static const QRegularExpression firstIndent(QStringLiteral("^(?!\\s*$)[ \\t]+"),
                                                    QRegularExpression::MultilineOption);
        if (const auto m = firstIndent.match(value); m.hasMatch())
            indent = m.captured();
    }
    QString body;
    if (multiline) {
        QStringList lines = value.split(QLatin1Char('\n'));
        for (QString &line : lines)
            line.prepend(indent);
        body = lines.join(QLatin1Char('\n'));
    } else {
        body = QStringLiteral("    return ") + value;
    }
    return QStringLiteral("import json\n\ndef main(output, context):\n") + body + QLatin1Char('\n');
}

Result<json> run(const Script &script, const json &output, const json &context, bool transform)
{
    const bool js = script.language == Language::JavaScript;
    const QString what = transform ? QStringLiteral("transform")
        : js                       ? QStringLiteral("javascript assertion")
                                   : QStringLiteral("python assertion");
    const QString program = interpreter(script.language);
    if (program.isEmpty())
        return fail(ErrorCode::NotFound,
                    js ? QStringLiteral("the %1 needs Node.js, but neither `node` nor `nodejs` is "
                                        "on PATH; install Node.js to run it")
                             .arg(what)
                       : QStringLiteral("the %1 needs Python, but neither `python3` nor `python` "
                                        "is on PATH; install Python 3 to run it")
                             .arg(what));

    json input = {{"output", output}, {"context", context}};
    if (script.code.startsWith(QLatin1String("file://"))) {
        QString ref = script.code.mid(7);
        QString function;
        // "file://dir/check.js:fnName" — the last colon after the file name.
        const qsizetype colon = ref.lastIndexOf(QLatin1Char(':'));
        if (colon > ref.lastIndexOf(QLatin1Char('/')) && colon > 1) {
            function = ref.mid(colon + 1);
            ref = ref.left(colon);
        }
        const QString path = QFileInfo(ref).isAbsolute()
            ? ref
            : QDir(script.baseDir.isEmpty() ? QDir::currentPath() : script.baseDir).filePath(ref);
        if (!QFileInfo::exists(path))
            return fail(ErrorCode::NotFound,
                        QStringLiteral("the %1 file %2 does not exist").arg(what, path));
        input["file"] = QDir::cleanPath(QFileInfo(path).absoluteFilePath()).toStdString();
        if (!function.isEmpty())
            input["fn"] = function.toStdString();
    } else if (js) {
        input["code"] = script.code.toStdString();
        input["mode"] = transform ? "transform" : "assert";
    } else {
        input["source"] = pythonSource(script.code).toStdString();
    }

    QProcess process;
    process.setProgram(program);
    process.setArguments({js ? QStringLiteral("-e") : QStringLiteral("-c"),
                          QString::fromUtf8(js ? kNodeRunner : kPythonRunner)});
    if (!script.baseDir.isEmpty())
        process.setWorkingDirectory(script.baseDir);
    process.start();
    if (!process.waitForStarted(5000))
        return fail(ErrorCode::Io,
                    QStringLiteral("could not start %1 for the %2: %3")
                        .arg(program, what, process.errorString()));
    process.write(
        QByteArray::fromStdString(input.dump(-1, ' ', false, json::error_handler_t::replace)));
    process.closeWriteChannel();
    if (!process.waitForFinished(script.timeoutMs)) {
        process.kill();
        process.waitForFinished(2000);
        return fail(ErrorCode::Timeout,
                    QStringLiteral("the %1 did not finish within %2 s")
                        .arg(what)
                        .arg(script.timeoutMs / 1000.0));
    }
    const QByteArray out = process.readAllStandardOutput();
    const qsizetype at = out.lastIndexOf(kMarker);
    if (at < 0) {
        const QString err = QString::fromUtf8(process.readAllStandardError()).trimmed();
        return fail(ErrorCode::Protocol,
                    QStringLiteral("the %1 ended without a result (exit code %2)%3")
                        .arg(what)
                        .arg(process.exitCode())
                        .arg(err.isEmpty() ? QString() : QStringLiteral(": ") + err.right(500)));
    }
    const json reply
        = json::parse(out.mid(at + qsizetype(sizeof(kMarker)) - 1).toStdString(), nullptr, false);
    if (reply.is_discarded() || !reply.is_object())
        return fail(ErrorCode::Protocol,
                    QStringLiteral("the %1 returned unreadable output").arg(what));
    if (!reply.value("ok", false))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("the %1 threw an error: %2")
                        .arg(what, QString::fromStdString(reply.value("error", std::string()))));
    return reply.value("result", json());
}

} // namespace

Result<json> runAssertionScript(const Script &script, const json &output, const json &context)
{
    return run(script, output, context, false);
}

Result<json> runTransform(const Script &script, const json &output, const json &context)
{
    return run(script, output, context, true);
}

} // namespace ts::scripts
