import FileIO
import Foundation
import Sourcing
import Testing

/// The POSIX file reading and number formatting that replace Foundation's
/// `FileHandle` and `String(format:)` in the planner.
@Suite struct FileBytesTests {
    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("filebytes-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func readsAWholeFileAndRespectsTheLimit() throws {
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try FileBytes.read(path, limit: 200_000) == Data(bytes))
        #expect(throws: FileBytes.Failure.tooLarge(size: 200_000)) { try FileBytes.read(path, limit: 199_999) }
    }

    @Test func readsAPipeUpToOneBytePastTheLimit() throws {
        let pipe = Pipe()
        let payload = Data(repeating: 7, count: 100_000)
        let writer = Thread {
            pipe.fileHandleForWriting.write(payload)
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        let path = "/proc/self/fd/\(pipe.fileHandleForReading.fileDescriptor)"
        #expect(try FileBytes.read(path, limit: 100_000) == payload)
    }

    @Test func failuresAreNamed() throws {
        #expect(throws: FileBytes.Failure.missing) { try FileBytes.read("/nonexistent/file.json", limit: 10) }
        #expect(throws: FileBytes.Failure.directory) { try FileBytes.read("/tmp", limit: 10) }
        #expect(FileBytes.isDirectory("/tmp"))
        #expect(!FileBytes.isDirectory("/nonexistent"))
        #expect(FileBytes.Failure.missing.description == "no such file")
    }

    /// `cFormat` agrees with C's printf (values worked out by hand).
    @Test func cFormatFormatsLikePrintf() {
        #expect(cFormat("%.3f", 1.23456) == "1.235")
        #expect(cFormat("%+.2f", -12.5) == "-12.50")
        #expect(cFormat("%+.2f", 3.0) == "+3.00")
        #expect(cFormat("%.0f", 2.5) == "2")  // round half to even
        #expect(cFormat("[%d/%d]", 3, 10) == "[3/10]")
        let long = cFormat("%.1f", 1e80)  // longer than the first 64-byte buffer
        #expect(long.count == 83 && long.hasPrefix("1000000000000000") && long.hasSuffix(".0"))
    }
}
