"""YAML text → plain data plus the line of every value (first half of the load stage).

PyYAML's composer gives us nodes with positions; we build the Python values ourselves
so that (a) every mapping key and list item keeps its line for error messages,
(b) duplicate keys and anchors/aliases are refused instead of silently resolved, and
(c) scalars follow what a caseworker means, not YAML 1.1: `no` is the word "no" (not
False), `14:00` is a time (not the number 840), `24/20` is a case number and `47250.75`
is text for the amount parser (never a float), and (d) nothing is lost quietly: every text
is NFC-normalised (so «ø» typed as o + combining stroke matches «ø»), a control character
written as an escape ("\v") is refused like the raw character, and a text folded from
several lines is marked (Folded) so that prose fields can refuse it (YAML would have
swallowed its `#` headings as comments and merged its paragraphs).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

#: A path to a value inside a file, e.g. ("saksgang", 0, "møtedato").
FieldPath = tuple

MAX_BYTES = 2_000_000
#: libyaml's parser when PyYAML has it (ten times faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 40

_INT = re.compile(r"[-+]?[0-9]{1,18}")  # longer digit strings stay text: no 4 300-digit int
#: What PyYAML's reader refuses as a raw character; refused as well when written as an escape.
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


#: A carriage return written as "\r": YAML turns a raw one into a plain line break, so only an escape brings it.
_RETURN = re.compile("\r")
#: YAML's other line breaks (NEL, line and paragraph separator): a text keeps only plain ones.
_SEPARATORS = re.compile("[\x85\u2028\u2029]")


class Folded(str):
    """A text YAML folded from several lines (a plain or quoted scalar across lines, or `>`), or
    written on the line after its key: its line breaks, blank lines and `#` lines (read as
    comments) are gone. Prose fields refuse it (models.Prosa); one-line fields take it as text."""

    __slots__ = ()
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


@dataclass
class YamlDocument:
    """The data of one file, the line of every key and item, and what was wrong."""

    data: object = None
    lines: dict = field(default_factory=dict)
    text_lines: dict = field(default_factory=dict)  # first line of each text's content
    problems: list = field(default_factory=list)  # (line, path, message)
    source: list = field(default_factory=list, repr=False)  # the file's lines, for what PyYAML drops


def decode(raw: bytes) -> tuple[str | None, tuple[int, str] | None]:
    """Return the text of a case file, or (None, (line, message)) if it is not UTF-8 text."""
    if len(raw) > MAX_BYTES:
        return None, (1, f"filen er for stor ({len(raw) // 1_000_000} MB; grensen er {MAX_BYTES // 1_000_000} MB)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, (1, "filen er lagret som UTF-16; lagre den som UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, (line, "filen er ikke UTF-8 (lagre den som UTF-8, ikke Latin-1/ANSI)")
    return text, None


def parse(text: str) -> YamlDocument:
    """Parse one YAML document into plain data with a line for every key and item."""
    doc = YamlDocument()
    try:
        if "*" in text:  # an alias needs one; find it where it is written, before anything expands
            alias = next((e for e in yaml.parse(text, Loader=_LOADER) if isinstance(e, yaml.AliasEvent)), None)
            if alias is not None:
                doc.problems.append((alias.start_mark.line + 1, (), "alias (*navn) er ikke tillatt i saksfiler"))
                return doc
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if err.context_mark and "end of stream" in str(err.problem):  # point at where the text began
            mark = err.context_mark
        line = mark.line + 1 if mark else 1
        doc.problems.append(_missing_colon(err, text) or (line, (), _yaml_message(err, text)))
        return doc
    except RecursionError:  # the pure-Python composer on absurdly deep nesting
        doc.problems.append((1, (), f"ugyldig YAML: for mange nivåer (mer enn {MAX_DEPTH} innrykk i innrykk)"))
        return doc
    except yaml.YAMLError as err:  # reader errors: forbidden characters, at a character position
        position = getattr(err, "position", None)
        if isinstance(position, int) and _LOADER is not yaml.SafeLoader:  # libyaml counts UTF-8 bytes
            line = text.encode("utf-8", "surrogatepass")[:position].count(b"\n") + 1
        else:
            line = text.count("\n", 0, position) + 1 if isinstance(position, int) else 1
        doc.problems.append((line, (), _yaml_message(err, text)))
        return doc
    if node is None:
        doc.problems.append((1, (), "filen er tom"))
        return doc
    doc.lines[()] = node.start_mark.line + 1
    doc.source = text.split("\n")
    try:
        doc.data = _build(node, (), doc, set(), 0)
    except _Refused as refused:  # an alias or absurd nesting: refuse the file, once, quickly
        doc.data = None
        doc.problems.append((refused.line, refused.path, refused.message))
    return doc


class _Refused(Exception):
    def __init__(self, line: int, path: FieldPath, message: str):
        super().__init__(message)
        self.line, self.path, self.message = line, path, message


def _build(node, path: FieldPath, doc: YamlDocument, seen: set, depth: int):
    """Turn a node into Python data, recording lines; refuse aliases and deep nesting."""
    if id(node) in seen:
        line = doc.lines.get(path, node.start_mark.line + 1)  # where the alias is, not its anchor
        raise _Refused(line, path, "alias (*navn) er ikke tillatt i saksfiler")
    if depth > MAX_DEPTH:
        raise _Refused(node.start_mark.line + 1, path, f"for mange nivåer (mer enn {MAX_DEPTH} innrykk i innrykk)")
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                doc.problems.append((key_node.start_mark.line + 1, path, "en nøkkel må være et enkelt ord"))
                continue
            key = unicodedata.normalize("NFC", key_node.value)
            key_path = (*path, key)
            if key in result:
                first = doc.lines[key_path]
                doc.problems.append(
                    (key_node.start_mark.line + 1, key_path, f"feltet står to ganger (første gang på linje {first})")
                )
                continue
            doc.lines[key_path] = key_node.start_mark.line + 1
            value = _build(value_node, key_path, doc, seen, depth + 1)
            if (type(value) is str and value_node.style in (None, "", '"', "'")
                    and value_node.start_mark.line > key_node.start_mark.line):
                value = Folded(value)  # `felt:` and the text on a later line: a `#` line between was dropped
            result[key] = value
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            doc.lines[(*path, index)] = item.start_mark.line + 1
            items.append(_build(item, (*path, index), doc, seen, depth + 1))
        return items
    # A block scalar (| or >) begins on the line after its indicator.
    doc.text_lines[path] = node.start_mark.line + (2 if node.style in ("|", ">") else 1)
    if node.style in (None, "") and node.end_mark.line < len(doc.source):
        rest = doc.source[node.end_mark.line][node.end_mark.column:]
        if rest.startswith(" #") and re.search(r"[^\W\d_]", node.value):  # words, not 24/20 or 15000
            doc.problems.append((node.end_mark.line + 1, path, (
                f"teksten stopper foran «{rest.strip()[:30]}»: YAML leser « #» og resten av linjen som en kommentar; "
                "sett hele teksten i anførselstegn hvis # hører til teksten (en kommentar skilles fra "
                "verdien med minst to mellomrom)")))
    separator = _SEPARATORS.search(node.value)
    if separator:
        doc.problems.append((node.start_mark.line + 1, path, (
            f"teksten har linjeskilletegnet U+{ord(separator.group()):04X}, som Word og PDF viser ulikt; fjern det "
            "(en lengre tekst kan ha vanlige linjeskift, i en blokk med «|»)")))
    elif node.style in ('"', "'"):
        control = _NON_PRINTABLE.search(node.value) or _RETURN.search(node.value)
        if control:
            doc.problems.append((node.start_mark.line + 1, path, (
                f"teksten har kontrolltegnet U+{ord(control.group()):04X} (skrevet som escape-sekvens i anførselstegn); "
                "fjern det: kontrolltegn er ikke tillatt i saksfiler")))
    return _scalar(node)


def _scalar(node: yaml.ScalarNode):
    """Plain scalars may be null, true/false or whole numbers; everything else is text (NFC)."""
    value = unicodedata.normalize("NFC", node.value) if not node.value.isascii() else node.value
    if node.style in ('"', "'", ">") and node.end_mark.line > node.start_mark.line:
        return Folded(value)
    if node.style:  # quoted or block scalar: always text (plain is None, or "" from libyaml)
        return value
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.fullmatch(value):
        return int(value)
    return Folded(value) if node.end_mark.line > node.start_mark.line else value


_YAML_PROBLEMS = [
    ("found character '\\t' that cannot start any token", "tabulator kan ikke brukes til innrykk; bruk mellomrom"),
    ("found a tab character", "tabulator kan ikke brukes til innrykk; bruk mellomrom"),
    ("mapping values are not allowed", "kolon på feil sted (sett teksten i anførselstegn, eller rett innrykket)"),
    ("could not find expected ':'", "mangler kolon etter feltnavnet, eller innrykket er feil"),
    ("did not find expected key", "innrykket er feil, eller et felt mangler kolon"),
    ("did not find expected '-' indicator", "innrykket i listen er feil"),
    ("exceeded maximum nesting depth", f"for mange nivåer (mer enn {MAX_DEPTH} innrykk i innrykk)"),
    ("found unexpected end of stream", "filen slutter midt i en tekst (mangler et avsluttende anførselstegn?)"),
    ("found undefined alias", "alias (*navn) er ikke tillatt i saksfiler"),
    ("special characters are not allowed", "filen inneholder et tegn som ikke er tillatt (kontrolltegn)"),
    ("unacceptable character", "filen inneholder et tegn som ikke er tillatt (kontrolltegn)"),
    ("expected <document start>", "filen kan bare inneholde ett dokument (fjern «---» eller tekst etter dokumentet)"),
    ("expected a single document", "filen kan bare inneholde ett dokument (fjern ekstra «---»)"),
]


def _at(err: yaml.MarkedYAMLError, source: str) -> str:
    """Return the character the parser stopped at."""
    mark = err.problem_mark
    lines = source.split("\n")
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _colon_hint(err: yaml.MarkedYAMLError, source: str) -> str | None:
    """Return the message for a colon inside an unquoted text, `tittel: Sak: noe`, showing the
    line as it should be written (PyYAML only says «mapping values are not allowed here»)."""
    mark = err.problem_mark
    lines = source.split("\n")
    if mark is None or mark.line >= len(lines):
        return None
    match = re.fullmatch(r"(\s*(?:-\s+)?)([^\s:#\"'][^:#]*?):\s+(.*?)\s*", lines[mark.line])
    if not match or ": " not in match.group(3) or match.group(3)[:1] in "\"'|>[{":
        return None
    key, value = match.group(2), match.group(3)
    quoted = f'"{value}"' if '"' not in value else f"'{value}'"
    return (f"ugyldig YAML: teksten i «{key}» har kolon og mellomrom («: »), som YAML leser som et nytt felt; "
            f"sett teksten i anførselstegn: {key}: {quoted}")


_FIELD_WITHOUT_COLON = re.compile(r"(\s*)([^\W\d][\w-]*)(?:\s+|:(?=\S))(\S.*?)\s*")


def _missing_colon(err: yaml.MarkedYAMLError, source: str) -> tuple[int, tuple, str] | None:
    """Return the problem at the line before the one PyYAML names when that line is a field written
    without its colon, or without the space after it (`arkivsak 2020/18145-1`, `tittel:Komp`): YAML
    reads it as the start of a text and stumbles only on the next field, one line too late."""
    mark = err.problem_mark
    if mark is None or not any(n in str(err.problem) for n in ("mapping values are not allowed", "expected ':'")):
        return None
    lines = source.split("\n")
    before = mark.line - 1
    while before >= 0 and (not lines[before].strip() or lines[before].lstrip().startswith("#")):
        before -= 1
    if before < 0 or mark.line >= len(lines):
        return None
    match = _FIELD_WITHOUT_COLON.fullmatch(lines[before])
    indent = len(lines[mark.line]) - len(lines[mark.line].lstrip())
    if not match or ": " in lines[before] or len(match.group(1)) != indent:
        return None
    key, value = match.group(2), match.group(3)
    what = "mangler mellomrom etter kolonet" if lines[before].strip().startswith(f"{key}:") else "mangler kolon etter feltnavnet"
    return before + 1, (), f"ugyldig YAML: «{key}» {what}; skriv {key}: {value}"


def _quote_hint(err: yaml.MarkedYAMLError, source: str) -> str | None:
    """Return the message for a text that goes on after its closing quote, `post: "Reise" og fly`,
    showing the line as it should be written."""
    mark = err.problem_mark
    lines = source.split("\n")
    if mark is None or mark.line >= len(lines):
        return None
    match = re.fullmatch(r"\s*(?:-\s+)?([^\s:#\"'][^:#]*?):\s+([\"'])(.*?)\2[ \t]+([^\s#].*?)\s*", lines[mark.line])
    if not match:
        return None
    key, quote, quoted, rest = match.groups()
    value = f"{quote}{quoted}{quote} {rest}"
    shown = f"'{value}'" if "'" not in value else '"' + value.replace('"', '\\"') + '"'
    return (f"ugyldig YAML: teksten i «{key}» fortsetter etter det avsluttende anførselstegnet; sett hele teksten i "
            f"anførselstegn: {key}: {shown}")


def _yaml_message(err: yaml.YAMLError, source: str = "") -> str:
    """Say in Norwegian what PyYAML found wrong; keep its own words when we have none."""
    text = str(getattr(err, "problem", None) or err)
    if "cannot start any token" in text and isinstance(err, yaml.MarkedYAMLError):
        character = _at(err, source)
        if character == "\t":
            return "ugyldig YAML: tabulator kan ikke brukes til innrykk; bruk mellomrom"
        return f"ugyldig YAML: en verdi kan ikke begynne med «{character}»; sett teksten i anførselstegn"
    if "mapping values are not allowed" in text and isinstance(err, yaml.MarkedYAMLError):
        hint = _colon_hint(err, source)
        if hint:
            return hint
    if isinstance(err, yaml.MarkedYAMLError):
        hint = _quote_hint(err, source)
        if hint:
            return hint
    for needle, message in _YAML_PROBLEMS:
        if needle in text or needle in str(err):
            return f"ugyldig YAML: {message}"
    return f"ugyldig YAML: {text}"
