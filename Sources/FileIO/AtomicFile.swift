public import FoundationEssentials
import Glibc
import SystemPackage

/// Writes a file through a temporary sibling and a rename, so that readers
/// never see a half-written file and an error leaves nothing behind.
public enum AtomicFile {
    /// A file that cannot be written: a missing or read-only folder, a
    /// path that is a directory, a full disk.
    public struct WriteError: Error, CustomStringConvertible {
        /// The path that was to be written.
        public let path: String
        /// Why, in the system's words (`strerror`).
        public let reason: String
        /// "PATH: cannot be written: REASON".
        public var description: String { "\(path): cannot be written: \(reason)" }

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// Calls `produce` with a temporary path next to `path`, then renames it
    /// to `path`; on error the temporary file is removed. A failed rename
    /// (a read-only folder, `path` a directory) becomes the error that
    /// `renameFailed` makes of the ``WriteError``.
    ///
    /// A path that names a device, a pipe or a socket (`/dev/stdout`, a named
    /// pipe), directly or through symbolic links, is written in place:
    /// renaming over it would replace it with a regular file. A symbolic
    /// link to a file is followed, so the link stays and its target is
    /// replaced.
    public static func write<E: Error>(
        to path: String, _ produce: (String) throws(E) -> Void,
        renameFailed: (WriteError) -> E
    ) throws(E) {
        // Follow symbolic links by hand, so that a dangling link is followed
        // too: the link stays and the file it names is created.
        var target = path
        var linkStatus = stat()
        var hops = 0
        while hops < 40, lstat(target, &linkStatus) == 0, linkStatus.st_mode & S_IFMT == S_IFLNK,
            let destination = linkDestination(target)
        {
            target =
                destination.hasPrefix("/")
                ? destination : URL(fileURLWithPath: target).deletingLastPathComponent().path + "/" + destination
            hops += 1
        }
        var status = stat()
        if stat(target, &status) == 0 {
            let type = status.st_mode & S_IFMT
            if type == S_IFCHR || type == S_IFIFO || type == S_IFSOCK || type == S_IFBLK {
                try produce(target)
                return
            }
        }
        let url = URL(fileURLWithPath: target)
        let directory = url.deletingLastPathComponent().path
        let suffix = url.pathExtension == "gz" ? ".gz" : ""
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" + suffix
        do {
            try produce(temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        if rename(temporary, target) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw renameFailed(WriteError(path: path, reason: reason))
        }
    }

    /// Creates the folder `path` and its missing parents (`mkdir -p`).
    ///
    /// - Throws: ``WriteError`` naming `path` and the system's reason (a
    ///   read-only file system, a parent that is a file, no permission).
    public static func createDirectory(_ path: String) throws(WriteError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") where !component.isEmpty {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw WriteError(path: path, reason: String(cString: strerror(errno)))
            }
        }
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw WriteError(path: path, reason: "is not a folder")
        }
    }

    /// The text of the symbolic link at `path`, or nil.
    static func linkDestination(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `data` to `path` atomically.
    ///
    /// - Throws: ``WriteError`` naming `path` and the system's reason.
    public static func write(_ data: Data, to path: String) throws(WriteError) {
        try write(
            to: path,
            { (temporary: String) throws(WriteError) in
                let file: FileDescriptor
                do {
                    file = try FileDescriptor.open(
                        FilePath(temporary), .writeOnly, options: [.create, .truncate, .closeOnExec],
                        permissions: [.ownerReadWrite, .groupRead, .otherRead])
                } catch {
                    throw WriteError(path: path, reason: FileBytes.reason((error as? Errno) ?? Errno(rawValue: EIO)))
                }
                var failure: Errno?
                do { _ = try data.withUnsafeBytes { try file.writeAll($0) } } catch { failure = (error as? Errno) ?? Errno(rawValue: EIO) }
                do { try file.close() } catch { failure = failure ?? (error as? Errno) ?? Errno(rawValue: EIO) }
                if let failure { throw WriteError(path: path, reason: FileBytes.reason(failure)) }
            }, renameFailed: { $0 })
    }
}
