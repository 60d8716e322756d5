/// One problem found in an input file, naming the file, the field path and
/// the offending value.
public struct Diagnostic: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Errors make the input unusable; warnings point at valid but suspicious data.
    public enum Severity: String, Sendable, Equatable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    /// The file as the user named it (or a label such as `<stdin>`).
    public var file: String
    /// The field path in the style of docs/FORMULATION.md (`mines[3].capacity`);
    /// empty for the file as a whole.
    public var path: String
    /// What is wrong, including the value found (`-5 must be >= 0`).
    public var message: String

    public init(severity: Severity, file: String, path: String, message: String) {
        self.severity = severity
        self.file = file
        self.path = path
        self.message = message
    }

    /// An error diagnostic.
    public static func error(file: String, path: String, _ message: String) -> Diagnostic {
        Diagnostic(severity: .error, file: file, path: path, message: message)
    }

    /// A warning diagnostic.
    public static func warning(file: String, path: String, _ message: String) -> Diagnostic {
        Diagnostic(severity: .warning, file: file, path: path, message: message)
    }

    /// `coalition.json: mines[3].capacity: -5 must be >= 0`; a warning reads
    /// `coalition.json: mines[3].minVolume: warning: ...`.
    public var description: String {
        var text = file + ": "
        if !path.isEmpty { text += path + ": " }
        if severity == .warning { text += "warning: " }
        return text + message
    }
}

/// An input that cannot be used, with every problem found in it.
public struct InstanceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The errors (at least one) and any warnings, in the order found.
    public let diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// The diagnostics of severity `.error`.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// The diagnostics of severity `.warning`.
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }

    /// At most `maxLines` diagnostics, one per line, then a line saying how
    /// many were left out (for a terminal: a broken million-entry file can
    /// have a million problems).
    public func summary(maxLines: Int) -> String {
        guard diagnostics.count > maxLines else { return description }
        var lines = diagnostics.prefix(max(0, maxLines)).map(\.description)
        let file = diagnostics.first?.file ?? ""
        lines.append("\(file): ... and \(diagnostics.count - lines.count) more problems (\(diagnostics.count) in all)")
        return lines.joined(separator: "\n")
    }
}
