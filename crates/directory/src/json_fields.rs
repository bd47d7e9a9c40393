//! The two fields a JSON source maps (name and website), read out of one element without building a
//! `serde_json::Value`: every other field is skipped unparsed (`IgnoredAny` converts no number), so a value
//! the list does not map — `1e400`, a 5,000-digit integer, a deep object — never fails a row.

use std::fmt;

use serde::Deserializer as _;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The name and website of one element, or why it is a bad row.
pub(crate) fn mapped_fields(
    text: &[u8],
    name_key: &str,
    website_key: &str,
) -> Result<(Option<String>, Option<String>), String> {
    let mut de = serde_json::Deserializer::from_slice(text);
    let keys = Some((name_key, website_key));
    let found = de
        .deserialize_any(Shape { keys })
        .and_then(|found| de.end().map(|()| found));
    let fields = match found {
        Err(e) => return Err(format!("malformed JSON: {e}")),
        Ok(Found::Object { name, website }) => (name, website),
        Ok(Found::Value(other)) => return Err(format!("expected an object, got {}", other.kind())),
    };
    let text_of = |key: &str, value: Option<Field>| match value {
        None | Some(Field::Null) => Ok(None),
        Some(Field::Text(text)) => Ok(Some(text)),
        Some(other) => Err(format!(
            "field `{}` is {}, expected a string",
            pipeline_domain::text::echo(key),
            other.kind()
        )),
    };
    Ok((text_of(name_key, fields.0)?, text_of(website_key, fields.1)?))
}

/// What a value was, as far as a row needs to know.
#[derive(Debug, Clone)]
enum Field {
    Null,
    Text(String),
    /// Anything else, by kind: "a number", "an object"...
    Other(&'static str),
}

impl Field {
    fn kind(&self) -> &'static str {
        match self {
            Field::Null => "null",
            Field::Text(_) => "a string",
            Field::Other(kind) => kind,
        }
    }
}

/// What [`Shape`] read: an element's mapped fields, or a plain value.
#[derive(Debug)]
enum Found {
    Value(Field),
    Object {
        name: Option<Field>,
        website: Option<Field>,
    },
}

impl Found {
    fn into_field(self) -> Field {
        match self {
            Found::Value(field) => field,
            Found::Object { .. } => Field::Other("an object"),
        }
    }
}

/// Reads one value; with `keys`, an object's two mapped fields (the element), without, the value's kind
/// only (a field's value).
struct Shape<'k> {
    keys: Option<(&'k str, &'k str)>,
}

impl<'de> DeserializeSeed<'de> for Shape<'_> {
    type Value = Found;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Found, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Shape<'_> {
    type Value = Found;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Found, E> {
        Ok(Found::Value(Field::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Found, E> {
        Ok(Found::Value(Field::Null))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Found, E> {
        Ok(Found::Value(Field::Other("a boolean")))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Found, E> {
        Ok(Found::Value(Field::Other("a number")))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Found, E> {
        Ok(Found::Value(Field::Other("a number")))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Found, E> {
        Ok(Found::Value(Field::Other("a number")))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Found, E> {
        Ok(Found::Value(Field::Text(text.to_owned())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Found, E> {
        Ok(Found::Value(Field::Text(text)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Found, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Found::Value(Field::Other("an array")))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
        let Some((name_key, website_key)) = self.keys else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(Found::Value(Field::Other("an object")));
        };
        let (mut name, mut website) = (None, None);
        while let Some(key) = map.next_key_seed(KeyOf {
            name_key,
            website_key,
        })? {
            match key {
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
                Key::Name => name = Some(map.next_value_seed(Shape { keys: None })?.into_field()),
                Key::Website => website = Some(map.next_value_seed(Shape { keys: None })?.into_field()),
                Key::Both => {
                    let value = map.next_value_seed(Shape { keys: None })?.into_field();
                    name = Some(value.clone());
                    website = Some(value);
                }
            }
        }
        Ok(Found::Object { name, website })
    }
}

/// Which mapped field a key is (compared without allocating).
enum Key {
    Name,
    Website,
    Both,
    Other,
}

struct KeyOf<'k> {
    name_key: &'k str,
    website_key: &'k str,
}

impl<'de> DeserializeSeed<'de> for KeyOf<'_> {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyOf<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match (key == self.name_key, key == self.website_key) {
            (true, true) => Key::Both,
            (true, false) => Key::Name,
            (false, true) => Key::Website,
            (false, false) => Key::Other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Result<(Option<String>, Option<String>), String> {
        mapped_fields(text.as_bytes(), "name", "website")
    }

    #[test]
    fn a_value_out_of_range_in_an_unmapped_field_never_fails_a_row() {
        let digits = "9".repeat(5000);
        let text = format!(
            r#"{{"n":1e400,"big":{digits},"deep":[[[{{"x":-1e-999}}]]],"name":"Acme","website":"acme.es"}}"#
        );
        assert_eq!(fields(&text), Ok((Some("Acme".into()), Some("acme.es".into()))));
    }

    #[test]
    fn mapped_fields_must_be_strings_or_null_and_elements_objects() {
        assert_eq!(fields(r#"{"name":null}"#), Ok((None, None)));
        assert_eq!(
            fields(r#"{"name":7}"#),
            Err("field `name` is a number, expected a string".into())
        );
        assert_eq!(
            fields(r#"{"website":{"a":1e400}}"#),
            Err("field `website` is an object, expected a string".into())
        );
        assert_eq!(fields("[1]"), Err("expected an object, got an array".into()));
        assert_eq!(fields("\"x\""), Err("expected an object, got a string".into()));
        assert!(fields("{broken").unwrap_err().starts_with("malformed JSON"));
        assert!(
            fields(r#"{"name":"A"} x"#)
                .unwrap_err()
                .starts_with("malformed JSON")
        );
        let same = mapped_fields(br#"{"url":"a.es"}"#, "url", "url");
        assert_eq!(same, Ok((Some("a.es".into()), Some("a.es".into()))));
    }
}
