import Sourcing
import Glibc

/// A file opened for writing by descriptor: truncated or appended to, each
/// `write` one `write(2)` loop, closed when released.
final class DescriptorFile: @unchecked Sendable {
    private let descriptor: Int32
    private let owned: Bool

    /// Standard error, not closed on release.
    static let standardError = DescriptorFile(descriptor: 2, owned: false)

    private init(descriptor: Int32, owned: Bool) {
        self.descriptor = descriptor
        self.owned = owned
    }

    /// Opens `path`, creating it (mode 0644 before the umask); `append` keeps
    /// its contents and writes at the end, otherwise it is truncated.
    /// Nil when the file cannot be opened.
    convenience init?(path: String, append: Bool) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else { return nil }
        self.init(descriptor: descriptor, owned: true)
    }

    deinit { if owned { close(descriptor) } }

    func write(_ text: String) { FileBytes.write(text.utf8, to: descriptor) }
}
