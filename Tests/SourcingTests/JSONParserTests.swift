import Foundation
import Sourcing
import StrictJSON
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    func parse(_ text: String) throws(JSONError) -> JSONValue {
        try JSONParser.parse(text)
    }

    func parseError(_ text: String, limits: JSONLimits = .standard) -> JSONError? {
        parseError(Data(text.utf8), limits: limits)
    }

    func parseError(_ data: Data, limits: JSONLimits = .standard) -> JSONError? {
        do {
            _ = try JSONParser.parse(data, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func scalarsAndContainers() throws {
        #expect(try parse("null") == .null)
        #expect(try parse(" true ") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse("\"a\"") == .string("a"))
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object([]))
        #expect(
            try parse("[1, [2, {\"a\": null}]]")
                == .array([.number(1), .array([.number(2), .object([(key: "a", value: .null)])])]))
    }

    @Test func objectMembersKeepFileOrder() throws {
        let value = try parse(#"{"z": 1, "a": 2, "m": 3}"#)
        #expect(value.objectMembers?.map(\.key) == ["z", "a", "m"])
        #expect(value["a"] == .number(2))
    }

    @Test(arguments: [
        ("0", 0.0), ("-0", -0.0), ("1", 1), ("-12", -12), ("0.5", 0.5), ("1e3", 1000), ("1E+3", 1000),
        ("2.5e-3", 0.0025), ("0.1", 0.1), ("123456789012345678901234567890", 1.2345678901234568e29),
        ("9007199254740993", 9007199254740992), ("1.7976931348623157e308", 1.7976931348623157e308),
        ("1e-400", 0), ("4.9e-324", .leastNonzeroMagnitude), ("0.000001", 1e-6), ("100.000", 100),
        ("3.141592653589793238462643383279", 3.141592653589793)
    ])
    func numbers(_ text: String, _ expected: Double) throws {
        let value = try parse(text)
        #expect(value == .number(expected), "\(text)")
        #expect(value.numberValue?.sign == expected.sign)
    }

    @Test(arguments: ["1e400", "-1e400", "1" + String(repeating: "0", count: 400), "1e99999999999999999999"])
    func numbersBeyondDoubleAreErrors(_ text: String) {
        guard let error = parseError("[" + text + "]") else {
            Issue.record("\(text) was accepted")
            return
        }
        guard case .numberOutOfRange = error.kind else {
            Issue.record("wrong kind \(error.kind)")
            return
        }
        #expect(error.path == "[0]")
        #expect(error.message.contains("does not fit a finite double"))
    }

    @Test(arguments: ["01", "-", "+1", "1.", ".5", "1e", "1e+", "-a", "NaN", "Infinity", "0x10", "1.5.2", "- 1"])
    func invalidNumbers(_ text: String) {
        #expect(parseError(text) != nil, "\(text) was accepted")
    }

    @Test func stringsWithEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u0041\u00e9\u20AC""#) == .string("Aé€"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse("\"h\u{e9}llo \u{1F600}\"") == .string("h\u{e9}llo \u{1F600}"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test(arguments: [
        #""\ud83d""#, #""\ude00""#, #""\ud83dx""#, #""\ud83d\u0041""#, #""\x""#, #""\u12G4""#, "\"a\u{1}b\"", "'a'"
    ])
    func invalidStrings(_ text: String) {
        guard let error = parseError(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        guard case .syntax = error.kind else {
            Issue.record("\(text): wrong kind \(error.kind)")
            return
        }
    }

    @Test(arguments: [
        "[1,]", "{\"a\": 1,}", "[1 2]", "{\"a\" 1}", "{a: 1}", "{\"a\": 1 \"b\": 2}", "[1] x",
        "// c\n1", "[tru]", "nul", "[true false]", "{\"a\":1}}"
    ])
    func syntaxErrors(_ text: String) {
        #expect(parseError(text) != nil, "\(text) was accepted")
    }

    @Test func syntaxErrorPosition() {
        let text = "{\n  \"a\": 1,\n  \"b\": [1, 2 x]\n}"
        let error = parseError(text)
        #expect(error?.line == 3)
        #expect(error?.column == 14)
        #expect(error?.path == "b[1]")
        #expect(error?.message == "syntax error at line 3, column 14: expected ',' or ']' after an array element, found 'x'")
    }

    @Test func columnsCountCharactersNotBytes() {
        let error = parseError("{\"é€😀\": x}")
        #expect(error?.line == 1)
        #expect(error?.column == 9)
    }

    @Test(arguments: ["", "   ", "[", "[1, ", "{\"a\"", "{\"a\": ", "\"abc", "\"ab\\", "[1, 2", "tr", "-", "1e", "\"\\u00"])
    func truncatedInput(_ text: String) {
        guard let error = parseError(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.kind == .unexpectedEnd, "\(text): \(error)")
        #expect(error.message.contains("unexpected end of input"))
    }

    @Test func invalidUTF8ReportsByteOffset() {
        var bytes = Array("{\"name\": \"ab".utf8)
        let offset = bytes.count
        bytes += [0xC3, 0x28]  // a lead byte followed by a non-continuation byte
        bytes += Array("\"}".utf8)
        let error = parseError(Data(bytes))
        #expect(error?.kind == .invalidUTF8)
        #expect(error?.offset == offset)
        #expect(error?.path == "name")
        #expect(error?.message.contains("invalid UTF-8 at byte offset \(offset)") == true)
    }

    @Test(arguments: [
        [UInt8]([0xC0, 0x80]),  // overlong NUL
        [0xE0, 0x80, 0x80],  // overlong
        [0xED, 0xA0, 0x80],  // encoded surrogate
        [0xF4, 0x90, 0x80, 0x80],  // beyond U+10FFFF
        [0xFF],
        [0x80],  // lone continuation byte
        [0xE2, 0x82]  // truncated sequence
    ])
    func invalidUTF8Sequences(_ sequence: [UInt8]) {
        let inString = Data([UInt8(ascii: "\"")] + sequence + [UInt8(ascii: "\"")])
        #expect(parseError(inString)?.kind == .invalidUTF8)
        #expect(parseError(inString)?.offset == 1)
        let outside = Data([UInt8(ascii: "[")] + sequence + [UInt8(ascii: "]")])
        #expect(parseError(outside)?.kind == .invalidUTF8)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}".utf8))
        #expect(try JSONParser.parse(data) == .object([(key: "a", value: .number(1))]))
        // Only at the start, and positions count from after it.
        let error = parseError(Data([0xEF, 0xBB, 0xBF] + Array("[x]".utf8)))
        #expect(error?.line == 1)
        #expect(error?.column == 2)
        #expect(error?.offset == 4)
        #expect(parseError(Data(Array("[1]".utf8) + [0xEF, 0xBB, 0xBF])) != nil)
    }

    @Test func duplicateKeys() {
        let text = "{\"a\": {\"x\": 1,\n \"x\": 2}}"
        let error = parseError(text)
        #expect(error?.kind == .duplicateKey("x"))
        #expect(error?.path == "a.x")
        #expect(error?.line == 2)
        #expect(error?.column == 2)
    }

    @Test func duplicateKeysAreCollectedByParseDocument() throws {
        // More than 16 members: the hash-set path.
        let members = (0..<40).map { "\"k\($0)\": \($0)" } + ["\"k3\": 99", "\"k39\": 0"]
        let document = try JSONParser.parseDocument(Data(("{" + members.joined(separator: ", ") + "}").utf8))
        #expect(document.duplicateKeys.map(\.path) == ["k3", "k39"])
        #expect(document.value["k3"] == .number(3))  // the first occurrence wins
        #expect(document.value.objectMembers?.count == 40)
    }

    @Test func deepNestingFailsFastWithoutCrashing() {
        let depth = 1_000_000
        let data = Data(repeating: UInt8(ascii: "["), count: depth)
        let clock = ContinuousClock()
        var error: JSONError?
        let elapsed = clock.measure { error = parseError(data) }
        #expect(error?.kind == .tooDeep(limit: 100))
        #expect(elapsed < .seconds(2))
        // Within the limit is fine.
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(parseError(ok) == nil)
        let tooDeep = String(repeating: "{\"a\":", count: 101) + "1" + String(repeating: "}", count: 101)
        #expect(parseError(tooDeep)?.kind == .tooDeep(limit: 100))
    }

    @Test func sizeLimits() {
        var limits = JSONLimits.standard
        limits.maxInputBytes = 10
        #expect(parseError("[1, 2, 3, 4, 5]", limits: limits)?.kind == .tooLarge(bytes: 15, limit: 10))
        limits = .standard
        limits.maxContainerCount = 3
        let error = parseError("{\"list\": [1, 2, 3, 4]}", limits: limits)
        #expect(error?.kind == .tooManyEntries(limit: 3))
        #expect(error?.path == "list")
        #expect(parseError("[1, 2, 3]", limits: limits) == nil)
        #expect(JSONLimits.standard.maxInputBytes == 1 << 30)
    }

    @Test func largeInputParsesInLinearTime() throws {
        // 200,000 records; a quadratic step would take minutes.
        var text = "["
        for i in 0..<200_000 {
            if i > 0 { text += "," }
            text += "{\"id\": \"m\(i)\", \"capacity\": \(i).5, \"flag\": true}"
        }
        text += "]"
        let clock = ContinuousClock()
        var value: JSONValue = .null
        let elapsed = try clock.measure { value = try JSONParser.parse(text) }
        #expect(value.arrayElements?.count == 200_000)
        #expect(value.arrayElements?.last?["capacity"] == .number(199_999.5))
        #expect(elapsed < .seconds(20))
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test(arguments: [
        (100.0, "100"), (0, "0"), (-0.0, "0"), (-3, "-3"), (0.1, "0.1"), (1.5, "1.5"), (1e-7, "1e-7"),
        (1e20, "1e20"), (1.5e300, "1.5e300"), (123456.789, "123456.789"), (9007199254740992, "9007199254740992"), (1e16, "1e16"),
        (999_999_999_999_999, "999999999999999"), (2.5e-5, "2.5e-5")
    ])
    func numberFormat(_ value: Double, _ text: String) throws {
        #expect(JSONWriter.format(value) == text)
        #expect(try JSONParser.parse(text) == .number(value))
    }

    @Test func numberFormatRoundTrips() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let value = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
            #expect(try JSONParser.parse(JSONWriter.format(value)) == .number(value))
        }
    }

    @Test func stringEscapes() throws {
        let text = "q\"b\\n\n\t\u{1}é😀/"
        let quoted = JSONWriter.quoted(text)
        #expect(quoted == "\"q\\\"b\\\\n\\n\\t\\u0001é😀/\"")
        #expect(try JSONParser.parse(quoted) == .string(text))
    }

    @Test func layouts() throws {
        let value = try JSONParser.parse(#"{"a": [{"x": 1, "y": [2, 3]}, []], "b": {}}"#)
        let compact = String(decoding: JSONWriter.encode(value, style: .compact), as: UTF8.self)
        #expect(compact == #"{"a":[{"x":1,"y":[2,3]},[]],"b":{}}"#)
        let pretty = String(
            decoding: JSONWriter.encode(value, style: .pretty(indent: 2, inlineArrayElements: true)),
            as: UTF8.self)
        #expect(pretty == "{\n  \"a\": [\n    {\"x\": 1, \"y\": [2, 3]},\n    []\n  ],\n  \"b\": {}\n}\n")
        #expect(try JSONParser.parse(JSONWriter.encode(value)) == value)
    }

    /// A big array of records (written on two threads) is laid out exactly
    /// like a small one: one record per line, in order.
    @Test func bigArraysKeepTheirLayout() throws {
        let count = 1001
        let records = (0..<count).map { k in JSONValue.object([("k", .number(Double(k))), ("s", .string("r\(k)"))]) }
        let text = String(
            decoding: JSONWriter.encode(
                .object([("rows", .array(records))]),
                style: .pretty(indent: 2, inlineArrayElements: true)),
            as: UTF8.self)
        let lines = (0..<count).map { k in "    {\"k\": \(k), \"s\": \"r\(k)\"}" }
        #expect(text == "{\n  \"rows\": [\n" + lines.joined(separator: ",\n") + "\n  ]\n}\n")
    }
}
