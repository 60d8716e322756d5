import FileIO
import FoundationEssentials
import GLPK
import Glibc
import Sourcing

/// Writes a command's main output: to stdout, or atomically to a file.
struct OutputTarget {
    let path: String?

    func emit(_ text: String) throws { try emit(Data(text.utf8)) }

    /// Writes `data` as it is.
    func emit(_ data: Data) throws {
        if let path {
            try AtomicFile.write(data, to: path)
        } else {
            try FileBytes.writeStandardOutput(data)
        }
    }
}

/// Writes a one-file report in `format` to stdout or, atomically, to
/// `path`: text, JSON or HTML as the report renders them, CSV as its table
/// (every one-file report has a single table).
func emit(_ report: some Report, _ format: ReportFormat, to path: String?) throws {
    let files = report.render(format) ?? []
    try OutputTarget(path: path).emit(files.reduce(into: Data()) { $0.append($1.data) })
}
