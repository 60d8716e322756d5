/// A parsed JSON document, kept as written: objects keep their members in
/// file order (a `[String: JSONValue]` would lose it, and error messages and
/// canonical output want it).
///
/// Numbers are `Double`: the parser rejects any literal that does not fit a
/// finite double. Produced by ``JSONParser``; written by ``JSONWriter``.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in document order. A parsed object never holds the same key
    /// twice (the parser reports duplicates and keeps the first).
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }
}

extension JSONValue {
    /// The value of the first member named `key`, when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// The members, when this is an object.
    public var objectMembers: [(key: String, value: JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayElements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The text, when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number, when this is a number.
    public var numberValue: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The flag, when this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The kind with its article, for "expected ..." messages:
    /// `a number`, `an object`, ...
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// A short description naming the kind and, for scalars, the value, for
    /// "found ..." messages: `string "abc"`, `number 5`, `boolean true`,
    /// `null`, `an array`, `an object`. Long strings are shortened.
    public var briefDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return "boolean \(flag)"
        case .number(let number): return "number \(JSONWriter.format(number))"
        case .string(let text): return "string \(JSONWriter.quoted(text, maxCharacters: 60))"
        case .array(let elements): return elements.isEmpty ? "an empty array" : "an array"
        case .object(let members): return members.isEmpty ? "an empty object" : "an object"
        }
    }
}

/// Renders field paths in the style of docs/FORMULATION.md: `mines[3].capacity`,
/// `buyers[0].demand.cobalt`, `policy.blocked[1].from`. A key that is not a
/// plain name (letters, digits, `_`, `-`) is written as `["key"]`, so
/// `buyers[0].exposureCap["*"]`.
public enum JSONPath {
    /// `base.key` (or `key` when `base` is empty, or `base["odd key"]`).
    public static func appending(_ base: String, key: String) -> String {
        if isPlainName(key) {
            return base.isEmpty ? key : base + "." + key
        }
        return base + "[" + JSONWriter.quoted(key, maxCharacters: 60) + "]"
    }

    /// `base[index]`.
    public static func appending(_ base: String, index: Int) -> String {
        base + "[" + String(index) + "]"
    }

    /// Whether `key` can be written after a dot.
    static func isPlainName(_ key: String) -> Bool {
        guard !key.isEmpty else { return false }
        return key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }
}
