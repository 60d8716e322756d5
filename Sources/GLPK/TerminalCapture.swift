internal import CGLPK
import LinearModel

/// Receives GLPK's terminal output on the current thread while installed.
///
/// GLPK's output switch and hook are per thread; the capture is installed
/// around every GLPK call sequence, so nothing reaches stdout. Lines are
/// forwarded to the user's log closure and the last ones are kept for error
/// messages (a malformed file's line number, for instance).
final class TerminalCapture {
    private let log: (@Sendable (String) -> Void)?
    private var partial = ""
    private var recent: [String] = []
    private let keep: Int

    /// `keepAll`: keep every line (MathProg output), not only the last 64.
    init(log: (@Sendable (String) -> Void)?, keepAll: Bool = false) {
        self.log = log
        self.keep = keepAll ? Int.max : 64
    }

    /// Every kept line.
    func allLines() -> [String] {
        flush()
        return recent
    }

    func receive(_ text: String) {
        partial += text
        while let newline = partial.firstIndex(of: "\n") {
            let line = String(partial[..<newline])
            partial.removeSubrange(...newline)
            emit(line)
        }
    }

    private func emit(_ line: String) {
        recent.append(line)
        if recent.count > keep { recent.removeFirst(recent.count - keep) }
        log?(line)
    }

    func flush() {
        if !partial.isEmpty {
            emit(partial)
            partial = ""
        }
    }

    /// The last `count` lines, joined.
    func lastLines(_ count: Int) -> String {
        flush()
        return recent.suffix(count).joined(separator: " | ")
    }

    /// The most telling error message: GLPK's "file:line: message" when
    /// there is one, else the last line that mentions an error.
    func errorMessage() -> String? {
        flush()
        if let located = recent.last(where: { $0.contains(/:[0-9]+:\s/) }) { return located }
        return recent.last { $0.lowercased().contains("error") || $0.lowercased().contains("invalid") }
    }

    /// Installs the capture on this thread for the duration of `body`.
    func installed<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let context = Unmanaged.passUnretained(self).toOpaque()
        glp_term_out(GLP_ON)
        glp_term_hook(
            { info, text in
                guard let info, let text else { return 1 }
                Unmanaged<TerminalCapture>.fromOpaque(info).takeUnretainedValue()
                    .receive(String(cString: text))
                return 1
            }, context)
        defer {
            glp_term_hook(nil, nil)
            flush()
        }
        return try body()
    }
}
