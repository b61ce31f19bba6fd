//! YAML text → [`Node`] tree with positions, on top of `saphyr-parser`'s event stream.
//!
//! Building the tree ourselves (with an explicit stack, no recursion) lets the loader
//! enforce what records need: a nesting budget (deep `- - - x` cannot overflow the
//! stack), no anchors, aliases or tags (no "billion laughs"), no duplicate keys, one
//! document, and YAML 1.2 core-schema scalars (`2026-03-03` and `yes` stay strings).
//!
//! Most records are read first by the `fast` module, which knows only the plain subset
//! of YAML records are written in and builds the same tree without the event stream; a
//! text it does not take is read here, so every error message comes from this one
//! reader.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

mod fast;

use crate::diag::{Message, msg};
use crate::model::node::{Entry, Node, Pos, SmallStr, Value};

/// How deep mappings and sequences may nest; records need five or six levels.
pub const MAX_DEPTH: usize = 64;

/// Mappings up to this many keys are searched for a duplicate key directly.
const SMALL_MAP: usize = 32;

/// Why a text is not a usable record, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: Message,
}

/// An open sequence or mapping: where its items (entries) begin on the shared stack of
/// items (entries) still being collected, and where it starts.
enum Frame {
    Seq(usize, Pos),
    /// The start, where the mapping starts, the key waiting for its value, and where
    /// each key was first seen once the mapping is large (a hash map, so a mapping of
    /// 100,000 keys is not checked for duplicates in quadratic time; a record's small
    /// mappings are searched directly, without building one).
    Map(usize, Pos, Option<(SmallStr, Pos)>, Option<HashMap<SmallStr, Pos>>),
}

/// The items and entries of the open sequences and mappings of one parse, kept by each
/// thread from one file to the next: a closed sequence or mapping takes its part as a
/// slice of exactly its length, so no list grows by doubling while a file is read (in a
/// large repository that regrowth was a measurable part of loading: docs/performance.md).
#[derive(Default)]
struct Scratch {
    items: Vec<Node>,
    entries: Vec<Entry>,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// Parses one YAML document. `line_offset` is added to every line (front matter starts
/// below its `---` fence). An empty document gives `Value::Null`.
pub fn parse(text: &str, line_offset: u32) -> Result<Node, YamlError> {
    let mut scratch = SCRATCH.take();
    let parsed = match fast::parse(text, line_offset, &mut scratch) {
        Some(node) => Ok(node),
        None => {
            scratch.items.clear();
            scratch.entries.clear();
            parse_with(text, line_offset, &mut scratch)
        }
    };
    scratch.items.clear();
    scratch.entries.clear();
    SCRATCH.set(scratch);
    parsed
}

/// Both readers of one text: the subset's (`None` when the text is outside it) and
/// saphyr's. Where the first gives a tree, the second must give the same one; the tests
/// and the `yaml` fuzz target hold them to it.
#[doc(hidden)]
pub fn fast_and_full(text: &str, line_offset: u32) -> (Option<Node>, Result<Node, YamlError>) {
    let mut scratch = Scratch::default();
    let fast = fast::parse(text, line_offset, &mut scratch);
    let mut scratch = Scratch::default();
    (fast, parse_with(text, line_offset, &mut scratch))
}

fn parse_with(text: &str, line_offset: u32, scratch: &mut Scratch) -> Result<Node, YamlError> {
    let Scratch { items, entries } = scratch;
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    // An empty value at the very end is placed on the line after the last one; it
    // belongs to the last line.
    let last_line = line_count(text) + line_offset;
    let pos_of =
        |span: &Span| Pos::new((span.start.line() as u32 + line_offset).min(last_line), span.start.col() as u32 + 1);
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| YamlError {
            pos: Pos::new(e.marker().line() as u32 + line_offset, e.marker().col() as u32 + 1),
            // The parser explains itself in English only; the site says what it can.
            message: Message::new(e.info(), "YAML sözdizimi hatası: metin bu konumda YAML olarak okunamıyor"),
        })?;
        let pos = pos_of(&span);
        let refuse = |(what, what_tr): (&str, &str)| YamlError {
            pos,
            message: msg!(
                "{what} are not allowed in records: write the value out in full",
                "kayıtlarda {what_tr} kullanılamaz: değeri açıkça yazın"
            ),
        };
        let anchors = ("anchors (`&name`)", "YAML çapaları (`&ad`)");
        let tags = ("tags (`!name`)", "YAML etiketleri (`!ad`)");
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError {
                        pos,
                        message: msg!(
                            "a record holds one YAML document; remove the second `---`",
                            "bir kayıt tek bir YAML belgesi içerir; ikinci `---` satırını kaldırın"
                        ),
                    });
                }
                continue;
            }
            Event::Alias(_) => return Err(refuse(("aliases (`*name`)", "YAML takma adları (`*ad`)"))),
            Event::Scalar(text, style, anchor, tag) => {
                if anchor > 0 {
                    return Err(refuse(anchors));
                }
                if tag.is_some() {
                    return Err(refuse(tags));
                }
                Node::new(scalar(&text, style), pos)
            }
            Event::SequenceStart(ref anchor, ref tag) | Event::MappingStart(ref anchor, ref tag) => {
                let is_seq = matches!(event, Event::SequenceStart(..));
                if *anchor > 0 {
                    return Err(refuse(anchors));
                }
                if tag.is_some() {
                    return Err(refuse(tags));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError {
                        pos,
                        message: msg!(
                            "nesting deeper than {MAX_DEPTH} levels",
                            "iç içe yapı {MAX_DEPTH} düzeyden daha derin"
                        ),
                    });
                }
                stack.push(if is_seq {
                    Frame::Seq(items.len(), pos)
                } else {
                    Frame::Map(entries.len(), pos, None, None)
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                // Boxed slices of exactly their length: a repository's trees stay in
                // memory while it is checked and rendered.
                Some(Frame::Seq(first, start)) => Node::new(Value::Seq(items.drain(first..).collect()), start),
                Some(Frame::Map(first, start, ..)) => Node::new(Value::Map(entries.drain(first..).collect()), start),
                None => continue,
            },
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq(..)) => items.push(node),
            Some(Frame::Map(first, _, pending, seen)) => match pending.take() {
                Some((key, key_pos)) => entries.push(Entry { key, key_pos, value: node }),
                None => {
                    let key = match node.value {
                        Value::Seq(_) | Value::Map(_) | Value::Null => {
                            return Err(YamlError {
                                pos: node.pos,
                                message: msg!(
                                    "a mapping key must be a plain word, not empty, a list or a mapping",
                                    "alan adı (anahtar) düz bir sözcük olmalıdır; boş, liste ya da eşleme olamaz"
                                ),
                            });
                        }
                        Value::Str(ref s) => s.clone(),
                        _ => node.scalar_text().unwrap_or_default().into(),
                    };
                    let open = &entries[*first..];
                    if seen.is_none() && open.len() >= SMALL_MAP {
                        *seen = Some(open.iter().rev().map(|e| (e.key.clone(), e.key_pos)).collect());
                    }
                    let first = match seen {
                        Some(seen) => seen.get(&key).copied(),
                        None => open.iter().find(|e| e.key == key).map(|e| e.key_pos),
                    };
                    if let Some(first) = first {
                        return Err(YamlError {
                            pos: node.pos,
                            message: msg!(
                                "duplicate key `{key}` (first defined on line {line}); keep one",
                                "`{key}` alanı iki kez yazılmış (ilki {line}. satırda); birini bırakın",
                                line = first.line
                            ),
                        });
                    }
                    if let Some(seen) = seen {
                        seen.insert(key.clone(), node.pos);
                    }
                    *pending = Some((key, node.pos));
                }
            },
        }
    }
    Ok(root.unwrap_or_else(|| Node::new(Value::Null, Pos::new(1 + line_offset, 1))))
}

/// Lines as YAML counts them: LF, CRLF and a lone CR each end one.
fn line_count(text: &str) -> u32 {
    let bytes = text.as_bytes();
    if memchr::memchr(b'\r', bytes).is_none() {
        return memchr::memchr_iter(b'\n', bytes).count() as u32 + 1;
    }
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    breaks as u32 + 1
}

/// Resolves a scalar by the YAML 1.2 core schema; quoted and block scalars are strings.
fn scalar(text: &str, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::Str(text.into());
    }
    // Only these can begin a null, a boolean or a number; most scalars (names, ids,
    // titles) are answered here without trying each form.
    if let Some(first) = text.bytes().next()
        && !(first.is_ascii_digit()
            || matches!(first, b'-' | b'+' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F'))
    {
        return Value::Str(text.into());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "-.inf" | ".nan" | ".NaN" | ".NAN" => {
            return Value::Str(text.into());
        }
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(i) = text.parse::<i64>()
    {
        return Value::Int(i);
    }
    if let Some(hex) = text.strip_prefix("0x")
        && let Ok(i) = i64::from_str_radix(hex, 16)
    {
        return Value::Int(i);
    }
    if let Some(oct) = text.strip_prefix("0o")
        && let Ok(i) = i64::from_str_radix(oct, 8)
    {
        return Value::Int(i);
    }
    if is_core_float(digits)
        && let Ok(f) = text.parse::<f64>()
        && f.is_finite()
    {
        return Value::Float(f);
    }
    Value::Str(text.into())
}

/// `[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?` or `\.[0-9]+…` (the sign already stripped).
fn is_core_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mantissa_ok = (!int.is_empty() || !frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_offset() {
        let node = parse("id: TLP-2026-0001\nhistory:\n  - { date: 2026-03-03, by: a }\n", 1).unwrap();
        assert_eq!(node.get("id").unwrap().pos, Pos::new(2, 5));
        assert_eq!(node.entry("history").unwrap().key_pos, Pos::new(3, 1));
        let by = node.path("history[].by")[0];
        assert_eq!(by.pos, Pos::new(4, 29));
    }

    #[test]
    fn core_schema_scalars() {
        let node = parse("a: 2026-03-03\nb: yes\nc: 017\nd: 1.5\ne: ~\nf: '12'\ng: 1e309\nh: true\n", 0).unwrap();
        let json = node.to_json();
        assert_eq!(json["a"], "2026-03-03");
        assert_eq!(json["b"], "yes");
        assert_eq!(json["c"], 17);
        assert_eq!(json["d"], 1.5);
        assert!(json["e"].is_null());
        assert_eq!(json["f"], "12");
        assert_eq!(json["g"], "1e309");
        assert_eq!(json["h"], true);
        // Every form the core schema resolves, next to words that only begin like one.
        for (text, want) in [
            ("-7", serde_json::json!(-7)),
            ("+7", serde_json::json!(7)),
            (".5", serde_json::json!(0.5)),
            ("-.5e1", serde_json::json!(-5.0)),
            ("0x1F", serde_json::json!(31)),
            ("0o17", serde_json::json!(15)),
            ("NULL", serde_json::Value::Null),
            ("False", serde_json::json!(false)),
            ("TRUE", serde_json::json!(true)),
            ("~", serde_json::Value::Null),
            ("nul", serde_json::json!("nul")),
            ("trueish", serde_json::json!("trueish")),
            ("-inf", serde_json::json!("-inf")),
            ("elif.kara", serde_json::json!("elif.kara")),
            ("İzmir", serde_json::json!("İzmir")),
            ("x1", serde_json::json!("x1")),
        ] {
            assert_eq!(parse(&format!("v: {text}"), 0).unwrap().to_json()["v"], want, "{text}");
        }
    }

    #[test]
    fn refuses_duplicates_aliases_tags_and_depth() {
        let dup = parse("id: a\nname: b\nid: c\n", 0).unwrap_err();
        assert_eq!(dup.pos.line, 3);
        assert!(dup.message.en.contains("duplicate key `id`"));
        assert!(parse("a: &x [1]\nb: *x\n", 0).unwrap_err().message.en.contains("anchors"));
        assert!(parse("a: !!str 1\n", 0).unwrap_err().message.en.contains("tags"));
        let deep = "- ".repeat(10_000) + "x\n";
        assert!(parse(&deep, 0).unwrap_err().message.en.contains("nesting deeper"));
        let deep_flow = "[".repeat(100_000);
        assert!(parse(&deep_flow, 0).is_err());
        assert!(parse("a: 1\n---\nb: 2\n", 0).unwrap_err().message.en.contains("one YAML document"));
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let err = parse("id: a\n  name: [unclosed\n", 0).unwrap_err();
        assert!(err.pos.line >= 2, "{err:?}");
    }

    #[test]
    fn positions_stay_inside_the_text() {
        // Found by the `yaml` fuzz target: the empty value of a last explicit key.
        let node = parse("): karmasik.al.alahtar\n? karma", 0).unwrap();
        assert_eq!(node.get("karma").unwrap().pos.line, 2);
        assert_eq!(line_count("a\r\nb\rc\n"), 4);
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(parse("", 0).unwrap().value, Value::Null);
        assert_eq!(parse("# only a comment\n", 0).unwrap().value, Value::Null);
    }
}
