import Glibc
import SystemPackage

/// A file opened for writing by descriptor: truncated or appended to, each
/// `write` one `write(2)` loop, closed when released.
public final class DescriptorFile: Sendable {
    private let descriptor: Int32
    private let owned: Bool

    /// Standard error, not closed on release.
    public static let standardError = DescriptorFile(descriptor: 2, owned: false)

    private init(descriptor: Int32, owned: Bool) {
        self.descriptor = descriptor
        self.owned = owned
    }

    /// Opens `path`, creating it (mode 0644 before the umask); `append` keeps
    /// its contents and writes at the end, otherwise it is truncated.
    /// Nil when the file cannot be opened.
    public convenience init?(path: String, append: Bool, truncate: Bool = true) {
        var options: FileDescriptor.OpenOptions = [.create, .closeOnExec]
        if append { options.insert(.append) } else if truncate { options.insert(.truncate) }
        guard
            let file = try? FileDescriptor.open(
                FilePath(path), .writeOnly, options: options,
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        else { return nil }
        self.init(descriptor: file.rawValue, owned: true)
    }

    deinit { if owned { try? FileDescriptor(rawValue: descriptor).close() } }

    /// Takes an exclusive advisory lock on the file (flock), without
    /// waiting; false when another process holds one.
    public func lockExclusively() -> Bool { flock(descriptor, LOCK_EX | LOCK_NB) == 0 }

    /// Cuts the file to `size` bytes and moves to its end.
    public func truncate(to size: Int) throws(FileBytes.OutputFailure) {
        if ftruncate(descriptor, off_t(size)) != 0 || lseek(descriptor, 0, SEEK_END) < 0 {
            throw FileBytes.OutputFailure(reason: String(cString: strerror(errno)))
        }
    }

    /// Writes all of `text`, ignoring failures (standard error, logs).
    public func write(_ text: String) { FileBytes.write(text.utf8, to: descriptor) }

    /// Writes all of `text`, retrying short writes; a failed write of a
    /// regular file is undone (the file is cut back to its size before it),
    /// so the file never ends in a torn line.
    ///
    /// - Throws: the system's reason when a write fails or makes no progress
    ///   (a full disk, a closed pipe).
    public func writeChecked(_ text: String) throws(FileBytes.OutputFailure) {
        let start = lseek(descriptor, 0, SEEK_END)
        let bytes = Array(text.utf8)
        let failure = bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> FileBytes.OutputFailure? in
            do throws(FileBytes.OutputFailure) { try FileBytes.writeAll(buffer, to: descriptor); return nil } catch { return error }
        }
        if let failure {
            if start >= 0 { _ = ftruncate(descriptor, start) }
            throw failure
        }
    }
}
