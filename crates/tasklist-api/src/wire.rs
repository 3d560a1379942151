//! Decoding helpers shared by the generated models of every API version.

/// Decodes a string through `from_wire` (an open enum's), borrowing the string when the format
/// can lend it, so that a known value costs no allocation.
pub(crate) fn decode_wire<'de, D: serde::Deserializer<'de>, T>(
    deserializer: D,
    from_wire: fn(&str) -> T,
) -> Result<T, D::Error> {
    struct Wire<T>(fn(&str) -> T);

    impl<T> serde::de::Visitor<'_> for Wire<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }

    deserializer.deserialize_str(Wire(from_wire))
}
