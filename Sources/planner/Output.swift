import FoundationEssentials
import Glibc
import Sourcing
import GLPK

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
