public import FoundationEssentials
import Glibc
import Synchronization

/// Deterministic JSON output: the same value always gives the same bytes.
///
/// Numbers are written in their shortest form that reads back to the same
/// double, integers without a fraction (`100`, not `100.0`), exponents
/// without `+` or leading zeros (`1e-7`, `1.5e20`); `-0` is written `0`.
/// Strings escape `"`, `\` and control characters only (other text stays
/// UTF-8). Object members are written in their stored order.
public enum JSONWriter {
    /// How to lay the text out.
    public enum Style: Sendable, Equatable {
        /// One line, no spaces: `{"a":1,"b":[1,2]}`.
        case compact
        /// Indented by `indent` spaces per level, one member or element per
        /// line. With `inlineArrayElements`, a container that is an element
        /// of an array is written on one line (`{"id": "m1", "capacity": 5}`),
        /// which keeps big arrays of records readable and diff-friendly.
        case pretty(indent: Int, inlineArrayElements: Bool)
    }

    /// The value as UTF-8 JSON text, ending with a newline for `.pretty`.
    public static func encode(_ value: JSONValue, style: Style = .pretty(indent: 2, inlineArrayElements: false)) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        switch style {
        case .compact:
            writeInline(value, spaced: false, to: &out)
        case .pretty(let indent, let inlineArrayElements):
            writePretty(value, level: 0, indent: max(0, indent), inlineArrayElements: inlineArrayElements, to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        return Data(out)
    }

    /// The shortest text that reads back as `number`: `100`, `0.1`, `1e-7`.
    /// Non-finite numbers (which JSON cannot hold) are written `null`.
    public static func format(_ number: Double) -> String {
        var out: [UInt8] = []
        writeNumber(number, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` as a JSON string literal with its quotes. With
    /// `maxCharacters`, longer text is cut and ends in `...` (for messages).
    public static func quoted(_ text: String, maxCharacters: Int? = nil) -> String {
        var out: [UInt8] = []
        if let maxCharacters, text.unicodeScalars.count > maxCharacters {
            let cut = String(String.UnicodeScalarView(text.unicodeScalars.prefix(max(0, maxCharacters - 3))))
            writeString(cut, to: &out)
            out.removeLast()
            out.append(contentsOf: "...\"".utf8)
        } else {
            writeString(text, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Building blocks (also used by the instance encoder)

    static func writeNumber(_ number: Double, to out: inout [UInt8]) {
        guard number.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if number == number.rounded(.towardZero), abs(number) < 1e15 {
            writeInteger(Int64(number), to: &out)  // also turns -0 into 0
            return
        }
        // Swift's description is the shortest round-trip form; tidy its
        // spelling: "5.0e+20" -> "5e20", "1e-05" -> "1e-5", "100.0" -> "100".
        var text = number.description
        text.withUTF8 { bytes in
            let end = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) ?? bytes.count
            var mantissaEnd = end
            if mantissaEnd >= 2, bytes[mantissaEnd - 2] == UInt8(ascii: "."), bytes[mantissaEnd - 1] == UInt8(ascii: "0") {
                mantissaEnd -= 2
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<mantissaEnd]))
            guard end < bytes.count else { return }
            out.append(UInt8(ascii: "e"))
            var k = end + 1
            if k < bytes.count, bytes[k] == UInt8(ascii: "+") {
                k += 1
            } else if k < bytes.count, bytes[k] == UInt8(ascii: "-") {
                out.append(UInt8(ascii: "-"))
                k += 1
            }
            while k < bytes.count - 1, bytes[k] == UInt8(ascii: "0") { k += 1 }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[k..<bytes.count]))
        }
    }

    static func writeInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
        }
    }

    /// Whether a string can be written between quotes as it is.
    private static func needsNoEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            return false
        }
        return true
    }

    static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        let plain: Bool = text.withUTF8 { bytes in
            guard needsNoEscape(bytes) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hex[Int(byte >> 4)], hex[Int(byte & 0xF)]
                ])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func writeInline(_ value: JSONValue, spaced: Bool, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): writeNumber(number, to: &out)
        case .string(let text): writeString(text, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (k, element) in elements.enumerated() {
                if k > 0 { separator(spaced, to: &out) }
                writeInline(element, spaced: spaced, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (k, member) in members.enumerated() {
                if k > 0 { separator(spaced, to: &out) }
                writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if spaced { out.append(UInt8(ascii: " ")) }
                writeInline(member.value, spaced: spaced, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func separator(_ spaced: Bool, to out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
        if spaced { out.append(UInt8(ascii: " ")) }
    }

    /// Arrays of at least this many records are written on two threads.
    static let parallelArrayThreshold = 256

    /// The elements in `range` of an array at `level`, one line each:
    /// a comma before every element but the array's first, then a new line
    /// indented one level deeper, then the element on one line.
    private static func writeRecords(
        _ elements: [JSONValue], _ range: Range<Int>, level: Int, indent: Int,
        to out: inout [UInt8]
    ) {
        for k in range {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (level + 1) * indent))
            writeInline(elements[k], spaced: true, to: &out)
        }
    }

    static func writePretty(
        _ value: JSONValue, level: Int, indent: Int, inlineArrayElements: Bool,
        to out: inout [UInt8]
    ) {
        func newline(_ depth: Int) {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * indent))
        }
        switch value {
        case .array(let elements) where !elements.isEmpty:
            out.append(UInt8(ascii: "["))
            if inlineArrayElements && elements.count >= parallelArrayThreshold {
                // A big array of records (a plan's flows at 1e5 flow
                // variables): its halves are written on two threads and
                // joined, byte for byte what one thread would write.
                let half = elements.count / 2
                let chunks = inTwoThreads { k -> [UInt8] in
                    var chunk: [UInt8] = []
                    chunk.reserveCapacity(96 * (half + 1))
                    writeRecords(elements, k == 0 ? 0..<half : half..<elements.count, level: level, indent: indent, to: &chunk)
                    return chunk
                }
                for chunk in chunks { out.append(contentsOf: chunk) }
            } else if inlineArrayElements {
                writeRecords(elements, elements.indices, level: level, indent: indent, to: &out)
            } else {
                for (k, element) in elements.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")) }
                    newline(level + 1)
                    writePretty(element, level: level + 1, indent: indent, inlineArrayElements: false, to: &out)
                }
            }
            newline(level)
            out.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (k, member) in members.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                writeString(member.key, to: &out)
                out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
                writePretty(
                    member.value, level: level + 1, indent: indent,
                    inlineArrayElements: inlineArrayElements, to: &out)
            }
            newline(level)
            out.append(UInt8(ascii: "}"))
        default:
            writeInline(value, spaced: true, to: &out)
        }
    }
}

/// `[body(0), body(1)]`, the second computed on a POSIX thread of its own
/// while the caller computes the first (plain threads, not Dispatch: this
/// runs in the planner's forked worker, where Dispatch's pool can hang).
func inTwoThreads<T: Sendable>(_ body: @escaping @Sendable (Int) -> T) -> [T] {
    let second = Mutex<T?>(nil)
    let task = ThreadTask {
        let value = body(1); second.withLock { $0 = value }
    }
    var thread = pthread_t()
    let context = Unmanaged.passRetained(task).toOpaque()
    let created = pthread_create(
        &thread, nil,
        { raw in
            guard let raw else { return nil }
            Unmanaged<ThreadTask>.fromOpaque(raw).takeRetainedValue().run()
            return nil
        }, context)
    let first = body(0)
    guard created == 0 else {
        Unmanaged<ThreadTask>.fromOpaque(context).release()
        return [first, body(1)]
    }
    pthread_join(thread, nil)
    return [first, second.withLock { $0 } ?? body(1)]
}

/// Work handed to a POSIX thread.
private final class ThreadTask: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}
