import FileIO
import FoundationEssentials
import GLPK
import Glibc
import Sourcing

/// Writes a command's main output: to stdout, or atomically to a file.
struct OutputTarget {
    let path: String?

    func emit(_ text: String) throws {
        if let path {
            try AtomicFile.write(Data(text.utf8), to: path)
        } else {
            try FileBytes.writeStandardOutput(Data(text.utf8))
        }
    }
}

/// Writes a one-file report in `format` to stdout or, atomically, to
/// `path`: text, JSON or HTML as the report renders them, CSV as its table
/// (every one-file report has a single table).
func emit(_ report: some Report, _ format: ReportFormat, to path: String?) throws {
    let files = report.render(format) ?? []
    try OutputTarget(path: path).emit(files.map { String(decoding: $0.data, as: UTF8.self) }.joined())
}
