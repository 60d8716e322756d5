public import FoundationEssentials
import Glibc
import SystemPackage

/// Reading whole files and writing to the standard streams through
/// swift-system's file descriptors (their calls retry on EINTR and their
/// `writeAll` on short writes), so that the planner needs only
/// FoundationEssentials (Foundation's `FileHandle` would link all of
/// Foundation and its ICU data: about 4 MB more resident memory and 0.7 ms
/// more start-up per run, BENCHMARKS.md).
public enum FileBytes {
    /// Why a file could not be read, in words for a diagnostic.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The path does not exist.
        case missing
        /// The path is a directory.
        case directory
        /// The file is larger than the limit (its size when known).
        case tooLarge(size: Int?)
        /// Any other error of the system, as `strerror` words it.
        case unreadable(String)

        /// The failure in words: "no such file", "is a directory", ...
        public var description: String {
            switch self {
            case .missing: "no such file"
            case .directory: "is a directory"
            case .tooLarge(let size?): "too large (\(size) bytes)"
            case .tooLarge(nil): "too large"
            case .unreadable(let reason): reason
            }
        }
    }

    /// The bytes of the file at `path`, at most `limit` of them.
    ///
    /// A regular file larger than `limit` fails before anything is read; a
    /// pipe (such as `/dev/stdin`) is read up to one byte past the limit.
    public static func read(_ path: String, limit: Int) throws(Failure) -> Data {
        let file: FileDescriptor
        do { file = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec]) } catch {
            throw failure(error)
        }
        defer { try? file.close() }
        let descriptor = file.rawValue
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(errno) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw .directory }
        let isRegular = (status.st_mode & S_IFMT) == S_IFREG
        if isRegular, Int(status.st_size) > limit { throw .tooLarge(size: Int(status.st_size)) }
        return try read(descriptor: descriptor, limit: limit, expected: isRegular ? Int(status.st_size) : nil)
    }

    /// Everything `descriptor` yields until its end (a file, or a pipe until
    /// every writer has closed it), at most `limit` bytes: one byte more
    /// fails. `expected` is the size when known (a regular file's); the
    /// descriptor stays open.
    public static func read(descriptor: Int32, limit: Int, expected: Int? = nil) throws(Failure) -> Data {
        // Read straight into the result: a known size plus one byte (which
        // shows growth since it was taken), else growing by doubling.
        var data = Data(count: expected.map { $0 + 1 } ?? 1 << 16)
        let file = FileDescriptor(rawValue: descriptor)
        var count = 0
        while count <= limit {
            if count == data.count { data.count = min(2 * data.count, limit + 1) }
            let got: Int
            do {
                got = try data.withUnsafeMutableBytes { buffer in
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]))
                }
            } catch {
                throw failure((error as? Errno) ?? Errno(rawValue: EIO))
            }
            if got == 0 { break }
            count += got
        }
        if count > limit { throw .tooLarge(size: nil) }
        data.count = count
        return data
    }

    /// Whether `path` names an existing directory.
    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Writes all of `bytes` to a file descriptor (standard output is 1,
    /// standard error 2), retrying short writes; a closed pipe ends quietly.
    public static func write(_ bytes: some Sequence<UInt8>, to descriptor: Int32) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { write(UnsafeRawBufferPointer($0), to: descriptor) }
        if done == nil { Array(bytes).withUnsafeBytes { write($0, to: descriptor) } }
    }

    private static func write(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) {
        _ = try? FileDescriptor(rawValue: descriptor).writeAll(buffer)
    }

    /// Writes text to standard error.
    public static func writeError(_ text: String) { write(text.utf8, to: 2) }

    /// Writes bytes to standard output, ignoring failures (prefer
    /// ``writeStandardOutput(_:)``, which reports them).
    public static func writeOutput(_ data: Data) { write(data, to: 1) }

    /// Why standard output could not take every byte: the system's reason
    /// (`No space left on device` on /dev/full, `Broken pipe` on a closed
    /// pipe, `Bad file descriptor` when it is closed).
    public struct OutputFailure: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public init(reason: String) { self.reason = reason }
        public var description: String { "standard output: cannot be written: \(reason)" }
    }

    /// Writes all of `data` to standard output, retrying short writes.
    ///
    /// - Throws: ``OutputFailure`` when a write fails or makes no progress:
    ///   a full disk or `/dev/full`, a closed pipe (EPIPE, with SIGPIPE
    ///   ignored), a closed descriptor. A command that cannot deliver its
    ///   output must not exit 0.
    public static func writeStandardOutput(_ data: Data) throws(OutputFailure) {
        // Data.withUnsafeBytes rethrows untyped: the failure is carried out by value.
        let failure = data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> OutputFailure? in
            do throws(OutputFailure) { try writeAll(buffer, to: 1); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Writes every byte of `buffer` to `descriptor`, retrying short writes.
    ///
    /// - Throws: ``OutputFailure`` when a write fails or makes no progress.
    public static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) throws(OutputFailure) {
        do { _ = try FileDescriptor(rawValue: descriptor).writeAll(buffer) } catch {
            throw OutputFailure(reason: reason((error as? Errno) ?? Errno(rawValue: EIO)))
        }
    }

    /// The system's words for an error (`strerror`).
    static func reason(_ error: Errno) -> String { String(cString: strerror(error.rawValue)) }

    private static func failure(_ code: Int32) -> Failure { failure(Errno(rawValue: code)) }

    private static func failure(_ error: any Error) -> Failure {
        let code = (error as? Errno) ?? Errno(rawValue: EIO)
        switch code {
        case .noSuchFileOrDirectory: return .missing
        case .isDirectory: return .directory
        case .permissionDenied: return .unreadable("permission denied")
        default: return .unreadable(reason(code))
        }
    }

    /// Whether anything exists at `path` (a file, a folder, a device; a
    /// symbolic link counts by what it names).
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// Whether the file at `path` can be read by this process.
    public static func isReadable(_ path: String) -> Bool { access(path, R_OK) == 0 }

    /// The names in the folder `path`, sorted (no `.` or `..`); nil when it
    /// cannot be read.
    public static func directoryEntries(_ path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
