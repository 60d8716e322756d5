public import FoundationEssentials

/// Bounds that keep parsing safe on hostile or absurd input.
public struct JSONLimits: Sendable, Equatable {
    /// Deepest nesting of arrays and objects (the top-level container is
    /// depth 1). Parsing recurses once per level, so this also bounds the stack.
    public var maxDepth: Int
    /// Largest input, in bytes (a leading BOM included).
    public var maxInputBytes: Int
    /// Most elements in one array or members in one object.
    public var maxContainerCount: Int

    public init(maxDepth: Int = 100, maxInputBytes: Int = 1 << 30, maxContainerCount: Int = 10_000_000) {
        self.maxDepth = maxDepth
        self.maxInputBytes = maxInputBytes
        self.maxContainerCount = maxContainerCount
    }

    /// Depth 100, 1 GiB, 10,000,000 entries per array or object.
    public static let standard = JSONLimits()
}

/// Why a JSON text was refused, and where.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A byte sequence that is not UTF-8 (overlong, surrogate, truncated, ...).
        case invalidUTF8
        /// The text breaks the JSON grammar; the associated text says how.
        case syntax(String)
        /// The input ends inside a value: truncated.
        case unexpectedEnd
        /// The key occurs twice in one object.
        case duplicateKey(String)
        /// A number literal (as written, shortened) outside the finite doubles, like `1e400`.
        case numberOutOfRange(String)
        /// Nesting deeper than the limit.
        case tooDeep(limit: Int)
        /// Input longer than the limit.
        case tooLarge(bytes: Int, limit: Int)
        /// An array or object with more entries than the limit.
        case tooManyEntries(limit: Int)
    }

    /// What is wrong.
    public let kind: Kind
    /// Byte offset in the input (a BOM counts), where the problem starts.
    public let offset: Int
    /// 1-based line (lines end at LF).
    public let line: Int
    /// 1-based column, in Unicode scalars, after a BOM.
    public let column: Int
    /// Where in the document: `mines[3].capacity`, or "" at the top level.
    public let path: String

    public init(kind: Kind, offset: Int, line: Int, column: Int, path: String) {
        self.kind = kind
        self.offset = offset
        self.line = line
        self.column = column
        self.path = path
    }

    /// The problem and its position, without the path:
    /// `syntax error at line 3, column 7: expected ',' or '}' after an object member, found ']'`.
    public var message: String {
        let position = "line \(line), column \(column)"
        switch kind {
        case .invalidUTF8:
            return "invalid UTF-8 at byte offset \(offset) (\(position))"
        case .syntax(let text):
            return "syntax error at \(position): \(text)"
        case .unexpectedEnd:
            return "unexpected end of input at \(position) (the file is truncated)"
        case .duplicateKey(let key):
            return "duplicate key \(JSONWriter.quoted(key, maxCharacters: 60)) at \(position)"
        case .numberOutOfRange(let literal):
            return "number \(literal) at \(position) does not fit a finite double"
        case .tooDeep(let limit):
            return "nesting deeper than \(limit) levels at \(position)"
        case .tooLarge(let bytes, let limit):
            return "input of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .tooManyEntries(let limit):
            return "more than \(limit) entries in one array or object at \(position)"
        }
    }

    /// `path: message`, or the message alone at the top level.
    public var description: String {
        path.isEmpty ? message : "\(path): \(message)"
    }
}

/// A parsed document plus the duplicate keys met on the way (non-fatal
/// for callers that want to report every problem at once).
public struct JSONDocument: Sendable, Equatable {
    /// The value; in an object with a duplicate key the first member wins.
    public var value: JSONValue
    /// One `.duplicateKey` error per repeated key, in document order.
    public var duplicateKeys: [JSONError]
}

/// A strict RFC 8259 parser over raw UTF-8 bytes.
///
/// Strict means: no comments, trailing commas, single quotes, leading `+`
/// or zeros, `NaN`/`Infinity`, unescaped control characters or lone
/// surrogate escapes; invalid UTF-8 is an error (with its byte offset);
/// numbers must fit a finite `Double` (`1e400` is an error, `1e-400` is 0).
/// A leading UTF-8 byte-order mark is skipped. Time is linear in the input
/// (duplicate keys are found with a hash set in large objects), nesting is
/// bounded by ``JSONLimits/maxDepth``, so `[[[[...` cannot exhaust the stack.
public enum JSONParser {
    /// Parses `data`; a duplicate key is an error like any other.
    public static func parse(_ data: Data, limits: JSONLimits = .standard) throws(JSONError) -> JSONValue {
        let document = try parseDocument(data, limits: limits)
        if let first = document.duplicateKeys.first { throw first }
        return document.value
    }

    /// Parses `data`, collecting duplicate keys instead of stopping at them.
    /// Any other problem throws.
    public static func parseDocument(_ data: Data, limits: JSONLimits = .standard) throws(JSONError) -> JSONDocument {
        if data.count > limits.maxInputBytes {
            throw JSONError(
                kind: .tooLarge(bytes: data.count, limit: limits.maxInputBytes),
                offset: 0, line: 1, column: 1, path: "")
        }
        let result: Result<JSONDocument, JSONError> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var parser = Parser(bytes: bytes, limits: limits)
            do throws(JSONError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses UTF-8 text (convenience for tests and small inputs).
    public static func parse(_ text: String, limits: JSONLimits = .standard) throws(JSONError) -> JSONValue {
        try parse(Data(text.utf8), limits: limits)
    }
}

// MARK: - The parser

private enum Byte {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
}

/// Exact powers of ten for the fast number path (10^22 is the largest exact double power).
private let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
]

private struct Parser {
    enum PathComponent {
        case index(Int)
        case key(String)
        /// Inside an object, before its first key.
        case pending
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONLimits
    var index: Int = 0
    /// Offset of the first byte after a BOM.
    var start: Int = 0
    var path: [PathComponent] = []
    /// Duplicate keys found so far: offset of the key and its path.
    var duplicates: [(offset: Int, key: String, path: String)] = []
    /// Reusable buffers, one per nesting depth (only one container is open
    /// at each depth), so each finished container is copied once into an
    /// array of exactly its size instead of growing its own.
    var elementScratch: [[JSONValue]] = []
    var memberScratch: [[(key: String, value: JSONValue)]] = []

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parseDocument() throws(JSONError) -> JSONDocument {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
            start = 3
        }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if index < bytes.count {
            throw syntax("unexpected \(describeByte(at: index)) after the top-level value")
        }
        return JSONDocument(value: value, duplicateKeys: duplicateErrors())
    }

    // MARK: Values

    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw error(.unexpectedEnd) }
        switch bytes[index] {
        case Byte.openBrace:
            return try parseObject(depth: depth + 1)
        case Byte.openBracket:
            return try parseArray(depth: depth + 1)
        case Byte.quote:
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case Byte.minus, Byte.zero...Byte.nine:
            return .number(try parseNumber())
        default:
            throw syntax("expected a value, found \(describeByte(at: index))")
        }
    }

    mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        if depth > limits.maxDepth { throw error(.tooDeep(limit: limits.maxDepth)) }
        index += 1  // [
        skipWhitespace()
        guard index < bytes.count else { throw error(.unexpectedEnd) }
        if bytes[index] == Byte.closeBracket {
            index += 1
            return .array([])
        }
        path.append(.index(0))
        while elementScratch.count < depth { elementScratch.append([]) }
        let slot = depth - 1
        var count = 0
        while true {
            if count >= limits.maxContainerCount {
                path.removeLast()
                throw error(.tooManyEntries(limit: limits.maxContainerCount))
            }
            path[path.count - 1] = .index(count)
            let element = try parseValue(depth: depth)
            elementScratch[slot].append(element)
            count += 1
            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            let byte = bytes[index]
            if byte == Byte.comma {
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == Byte.closeBracket {
                    throw syntax("trailing comma before ']'")
                }
            } else if byte == Byte.closeBracket {
                index += 1
                break
            } else {
                throw syntax("expected ',' or ']' after an array element, found \(describeByte(at: index))")
            }
        }
        path.removeLast()
        let elements = Array(elementScratch[slot])
        elementScratch[slot].removeAll(keepingCapacity: true)
        return .array(elements)
    }

    mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        if depth > limits.maxDepth { throw error(.tooDeep(limit: limits.maxDepth)) }
        index += 1  // {
        skipWhitespace()
        guard index < bytes.count else { throw error(.unexpectedEnd) }
        if bytes[index] == Byte.closeBrace {
            index += 1
            return .object([])
        }
        path.append(.pending)
        while memberScratch.count < depth { memberScratch.append([]) }
        let slot = depth - 1
        // Small objects are searched linearly; a hash set takes over past 16 members.
        var keySet = Set<String>()
        var usesKeySet = false
        var entries = 0
        while true {
            if entries >= limits.maxContainerCount {
                path.removeLast()
                throw error(.tooManyEntries(limit: limits.maxContainerCount))
            }
            entries += 1
            path[path.count - 1] = .pending
            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            guard bytes[index] == Byte.quote else {
                throw syntax("expected a string key, found \(describeByte(at: index))")
            }
            let keyOffset = index
            let key = try parseString()
            path[path.count - 1] = .key(key)
            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            guard bytes[index] == Byte.colon else {
                throw syntax("expected ':' after an object key, found \(describeByte(at: index))")
            }
            index += 1
            let value = try parseValue(depth: depth)

            let isDuplicate: Bool
            if usesKeySet {
                isDuplicate = !keySet.insert(key).inserted
            } else if memberScratch[slot].count < 16 {
                isDuplicate = memberScratch[slot].contains(where: { $0.key == key })
            } else {
                keySet = Set(memberScratch[slot].map(\.key))
                usesKeySet = true
                isDuplicate = !keySet.insert(key).inserted
            }
            if isDuplicate {
                duplicates.append((keyOffset, key, renderPath()))
            } else {
                memberScratch[slot].append((key, value))
            }

            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            let byte = bytes[index]
            if byte == Byte.comma {
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == Byte.closeBrace {
                    throw syntax("trailing comma before '}'")
                }
            } else if byte == Byte.closeBrace {
                index += 1
                break
            } else {
                throw syntax("expected ',' or '}' after an object member, found \(describeByte(at: index))")
            }
        }
        path.removeLast()
        let members = Array(memberScratch[slot])
        memberScratch[slot].removeAll(keepingCapacity: true)
        return .object(members)
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let begin = index
        let count = literal.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for k in 0..<count {
            guard begin + k < bytes.count else {
                index = bytes.count
                throw error(.unexpectedEnd)
            }
            if bytes[begin + k] != expected[k] {
                index = begin
                throw syntax("invalid literal starting with \(describeByte(at: begin)) (expected \(literal))")
            }
        }
        index = begin + count
    }

    // MARK: Strings

    /// Parses a string starting at the opening quote.
    mutating func parseString() throws(JSONError) -> String {
        index += 1  // opening quote
        let contentStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Byte.quote {
                let slice = UnsafeBufferPointer(rebasing: bytes[contentStart..<index])
                index += 1
                // Non-ASCII bytes were validated on the way, so nothing is repaired.
                return String(decoding: slice, as: UTF8.self)
            } else if byte == Byte.backslash {
                return try parseEscapedString(from: contentStart)
            } else if byte < 0x20 {
                throw syntax("unescaped control character U+\(hex(byte)) in a string")
            } else if byte >= 0x80 {
                index += try utf8SequenceLength(at: index)
            } else {
                index += 1
            }
        }
        throw error(.unexpectedEnd)
    }

    /// The slow path: the string has escapes; `index` is at the first backslash.
    mutating func parseEscapedString(from contentStart: Int) throws(JSONError) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(index - contentStart + 16)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[contentStart..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Byte.quote {
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            } else if byte == Byte.backslash {
                let escapeStart = index
                index += 1
                guard index < bytes.count else { throw error(.unexpectedEnd) }
                let code = bytes[index]
                index += 1
                switch code {
                case Byte.quote: buffer.append(Byte.quote)
                case Byte.backslash: buffer.append(Byte.backslash)
                case Byte.slash: buffer.append(Byte.slash)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        let followedByEscape = index < bytes.count && bytes[index] == Byte.backslash
                        if index >= bytes.count || (followedByEscape && index + 1 >= bytes.count) {
                            throw error(.unexpectedEnd)
                        }
                        guard followedByEscape, bytes[index + 1] == UInt8(ascii: "u") else {
                            index = escapeStart
                            throw syntax("lone high surrogate in a \\u escape")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            index = escapeStart
                            throw syntax("high surrogate not followed by a low surrogate in a \\u escape")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        index = escapeStart
                        throw syntax("lone low surrogate in a \\u escape")
                    }
                    appendUTF8(scalar, to: &buffer)
                default:
                    index = escapeStart
                    throw syntax("invalid escape \(describeByte(at: escapeStart + 1)) after a backslash")
                }
            } else if byte < 0x20 {
                throw syntax("unescaped control character U+\(hex(byte)) in a string")
            } else if byte >= 0x80 {
                let length = try utf8SequenceLength(at: index)
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
                index += length
            } else {
                buffer.append(byte)
                index += 1
            }
        }
        throw error(.unexpectedEnd)
    }

    mutating func parseHex4() throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case Byte.zero...Byte.nine: digit = byte - Byte.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntax("expected a hex digit in a \\u escape, found \(describeByte(at: index))")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            buffer.append(UInt8(scalar))
        case 0x80..<0x800:
            buffer.append(UInt8(0xC0 | (scalar >> 6)))
            buffer.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            buffer.append(UInt8(0xE0 | (scalar >> 12)))
            buffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            buffer.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            buffer.append(UInt8(0xF0 | (scalar >> 18)))
            buffer.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            buffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            buffer.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// The length of the well-formed UTF-8 sequence starting at `offset`
    /// (its lead byte is >= 0x80), per Unicode table 3-7; throws otherwise.
    func utf8SequenceLength(at offset: Int) throws(JSONError) -> Int {
        guard let length = wellFormedSequenceLength(at: offset) else {
            throw JSONError(
                kind: .invalidUTF8, offset: offset, line: position(of: offset).line,
                column: position(of: offset).column, path: renderPath())
        }
        return length
    }

    func wellFormedSequenceLength(at offset: Int) -> Int? {
        let lead = bytes[offset]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        guard offset + length <= bytes.count else { return nil }
        let second = bytes[offset + 1]
        guard second >= low, second <= high else { return nil }
        for k in 2..<max(2, length) where bytes[offset + k] & 0xC0 != 0x80 {
            return nil
        }
        return length
    }

    // MARK: Numbers

    mutating func parseNumber() throws(JSONError) -> Double {
        let begin = index
        var negative = false
        if bytes[index] == Byte.minus {
            negative = true
            index += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0  // digits accumulated after the first non-zero one
        var droppedDigits = false  // a non-zero digit did not fit the mantissa
        var decimalExponent = 0  // value = mantissa * 10^decimalExponent (before the e part)

        @inline(__always) func accumulate(_ digit: UInt8, fractional: Bool) {
            if significantDigits < 19 {
                if mantissa != 0 || digit != 0 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significantDigits += 1
                }
                if fractional { decimalExponent -= 1 }
            } else {
                if digit != 0 { droppedDigits = true }
                if !fractional { decimalExponent += 1 }
            }
        }

        // Integer part.
        guard index < bytes.count else { throw error(.unexpectedEnd) }
        let first = bytes[index]
        if first == Byte.zero {
            index += 1
            if index < bytes.count, (Byte.zero...Byte.nine).contains(bytes[index]) {
                throw syntax("leading zeros are not allowed in a number")
            }
        } else if (Byte.zero...Byte.nine).contains(first) {
            while index < bytes.count, (Byte.zero...Byte.nine).contains(bytes[index]) {
                accumulate(bytes[index] - Byte.zero, fractional: false)
                index += 1
            }
        } else {
            throw syntax("expected a digit after '-', found \(describeByte(at: index))")
        }
        // Fraction.
        if index < bytes.count, bytes[index] == Byte.dot {
            index += 1
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            guard (Byte.zero...Byte.nine).contains(bytes[index]) else {
                throw syntax("expected a digit after '.', found \(describeByte(at: index))")
            }
            while index < bytes.count, (Byte.zero...Byte.nine).contains(bytes[index]) {
                accumulate(bytes[index] - Byte.zero, fractional: true)
                index += 1
            }
        }
        // Exponent.
        var exponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            guard index < bytes.count else { throw error(.unexpectedEnd) }
            var exponentNegative = false
            if bytes[index] == Byte.plus || bytes[index] == Byte.minus {
                exponentNegative = bytes[index] == Byte.minus
                index += 1
                guard index < bytes.count else { throw error(.unexpectedEnd) }
            }
            guard (Byte.zero...Byte.nine).contains(bytes[index]) else {
                throw syntax("expected a digit in the exponent, found \(describeByte(at: index))")
            }
            while index < bytes.count, (Byte.zero...Byte.nine).contains(bytes[index]) {
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(bytes[index] - Byte.zero) }
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        // A number must not run into a letter or another number character.
        if index < bytes.count {
            let next = bytes[index]
            if next == Byte.dot || next == Byte.plus || next == Byte.minus
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(next)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(next)
            {
                throw syntax("unexpected \(describeByte(at: index)) in a number")
            }
        }

        // Fast path (exact): a mantissa below 2^53 times an exact power of ten.
        let power = decimalExponent + exponent
        if !droppedDigits, mantissa <= (1 << 53), (-22...22).contains(power) {
            var value = Double(mantissa)
            if power >= 0 { value *= exactPowersOfTen[power] } else { value /= exactPowersOfTen[-power] }
            return negative ? -value : value
        }
        if mantissa == 0, !droppedDigits {
            return negative ? -0.0 : 0.0
        }
        // Slow path: the standard library's correctly rounded conversion.
        let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[begin..<index]), as: Unicode.ASCII.self)
        guard let value = Double(literal), value.isFinite else {
            let shown = literal.count > 40 ? String(literal.prefix(37)) + "..." : literal
            throw JSONError(
                kind: .numberOutOfRange(shown), offset: begin, line: position(of: begin).line,
                column: position(of: begin).column, path: renderPath())
        }
        return value
    }

    // MARK: Helpers

    @inline(__always) mutating func skipWhitespace() {
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == Byte.space || byte == Byte.newline || byte == Byte.carriageReturn || byte == Byte.tab else {
                return
            }
            index += 1
        }
    }

    func renderPath() -> String {
        var text = ""
        for component in path {
            switch component {
            case .index(let n): text = JSONPath.appending(text, index: n)
            case .key(let key): text = JSONPath.appending(text, key: key)
            case .pending: break
            }
        }
        return text
    }

    /// Line and column (1-based; column in Unicode scalars) of `offset`.
    func position(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var k = start
        let end = min(offset, bytes.count)
        while k < end {
            let byte = bytes[k]
            if byte == Byte.newline {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            k += 1
        }
        return (line, column)
    }

    func error(_ kind: JSONError.Kind) -> JSONError {
        let (line, column) = position(of: index)
        return JSONError(kind: kind, offset: index, line: line, column: column, path: renderPath())
    }

    /// A syntax error at the current byte; a non-UTF-8 byte there is reported as such.
    func syntax(_ text: String) -> JSONError {
        if index < bytes.count, bytes[index] >= 0x80, wellFormedSequenceLength(at: index) == nil {
            return error(.invalidUTF8)
        }
        return error(.syntax(text))
    }

    /// `'x'`, `U+0001`, `'é'` or "end of input", for messages.
    func describeByte(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of input" }
        let byte = bytes[offset]
        if byte >= 0x20, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte < 0x80 { return "U+\(hex(byte))" }
        if let length = wellFormedSequenceLength(at: offset) {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
            return "'\(text)'"
        }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// The duplicate-key errors with positions, found in one pass (offsets increase).
    func duplicateErrors() -> [JSONError] {
        guard !duplicates.isEmpty else { return [] }
        var result: [JSONError] = []
        result.reserveCapacity(duplicates.count)
        var line = 1
        var column = 1
        var k = start
        for duplicate in duplicates {
            while k < duplicate.offset {
                let byte = bytes[k]
                if byte == Byte.newline {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
                k += 1
            }
            result.append(
                JSONError(
                    kind: .duplicateKey(duplicate.key), offset: duplicate.offset,
                    line: line, column: column, path: duplicate.path))
        }
        return result
    }
}
