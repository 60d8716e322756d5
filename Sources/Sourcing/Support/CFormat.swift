#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `printf`-style formatting of numbers through the C library, in the C
/// locale (a `.` decimal point whatever the environment says, since the
/// planner never calls `setlocale`).
///
/// Used instead of Foundation's `String(format:)`, which would link all of
/// Foundation and its ICU data into the planner (about 4 MB more resident
/// memory and 0.7 ms more start-up per run; see BENCHMARKS.md). Only numeric
/// conversions are meant here: `%@` and `%s` are not supported.
///
/// - Parameters:
///   - format: a C format string such as `"%.3f"` or `"%+.2f"`.
///   - arguments: the values, as C variadic arguments (`Int`, `Int32`, `Double`).
/// - Returns: the formatted text.
public func cFormat(_ format: String, _ arguments: any CVarArg...) -> String {
    withVaList(arguments) { list in
        var buffer = [CChar](repeating: 0, count: 64)
        // vsnprintf consumes the va_list, so a second attempt needs a fresh one.
        let needed = Int(vsnprintf(&buffer, buffer.count, format, list))
        if needed < buffer.count { return String(decoding: buffer.prefix(max(0, needed)).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return withVaList(arguments) { again in
            var large = [CChar](repeating: 0, count: needed + 1)
            _ = vsnprintf(&large, large.count, format, again)
            return String(decoding: large.prefix(needed).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
