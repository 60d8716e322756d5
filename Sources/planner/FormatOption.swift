import ArgumentParser
import Sourcing

/// The `--format` of a command that prints an `R`: it parses exactly the
/// formats `R` declares (``Report/formats``) and help lists them, so an
/// undeclared format is a usage error (exit 64) before anything is solved,
/// never a silent fallback to another format.
struct FormatOption<R: Report>: ExpressibleByArgument, Equatable {
    /// The format chosen.
    let value: ReportFormat

    init(_ value: ReportFormat) { self.value = value }

    init?(argument: String) {
        guard let format = ReportFormat(rawValue: argument), R.formats.contains(format) else { return nil }
        value = format
    }

    static var allValueStrings: [String] { R.formats.map(\.rawValue) }

    var defaultValueDescription: String { value.rawValue }
}
