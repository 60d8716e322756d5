internal import CGLPK
internal import CGLPKShim
public import FoundationEssentials
import Glibc
public import LinearModel

/// The file formats GLPK reads and writes.
public enum ModelFileFormat: String, Sendable, CaseIterable, Codable {
    /// Fixed MPS.
    case mps
    /// Free MPS.
    case freeMPS = "free-mps"
    /// CPLEX LP.
    case lp
    /// GLPK's own format.
    case glpk

    /// The format a path's extension names (`.gz` is looked through):
    /// `.mps` fixed MPS, `.fmps`/`.freemps` free MPS, `.lp` CPLEX LP,
    /// `.glpk`/`.glp` GLPK. Nil when the extension is none of these.
    public static func inferred(from path: String) -> ModelFileFormat? {
        var name = URL(fileURLWithPath: path).lastPathComponent.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        switch URL(fileURLWithPath: name).pathExtension {
        case "mps": return .mps
        case "fmps", "freemps": return .freeMPS
        case "lp", "cplex": return .lp
        case "glpk", "glp": return .glpk
        default: return nil
        }
    }
}

/// Reading and writing models in GLPK's file formats.
///
/// Paths are checked before GLPK sees them (GLPK aborts on messages over
/// 4 KiB, and prints the path in them); numbers are read and written in
/// the C locale whatever `LC_NUMERIC` says; files are written atomically
/// (to a temporary file in the same folder, then renamed). A file GLPK
/// cannot parse throws ``ModelError`` with guard ``Guard/fileFormat`` and
/// GLPK's own message, which names the line.
public enum ModelFile {
    /// The longest path handed to GLPK, in bytes.
    public static let maxPathBytes = 1024

    /// Checks a path for GLPK: not empty, no NUL, at most ``maxPathBytes``.
    public static func checkPath(_ path: String) throws(ModelError) {
        if path.isEmpty {
            throw ModelError(.invalidPath, at: "path", value: "\"\"", "is empty")
        }
        if path.utf8.contains(0) {
            throw ModelError(.invalidPath, at: "path", value: path.debugDescription, "contains a NUL byte")
        }
        if path.utf8.count > maxPathBytes {
            throw ModelError(.invalidPath, at: "path", value: "\(path.utf8.count) bytes",
                             "is longer than \(maxPathBytes) bytes (GLPK's message buffer)")
        }
    }

    /// Reads a model from `path` in `format` (inferred from the extension
    /// when nil; `.mps` files that are not fixed MPS are retried as free MPS).
    public static func read(_ path: String, format: ModelFileFormat? = nil,
                            log: (@Sendable (String) -> Void)? = nil) throws(ModelError) -> Model {
        try checkPath(path)
        guard let format = format ?? ModelFileFormat.inferred(from: path) else {
            throw ModelError(.fileFormat, at: path, value: "", "has an unknown extension (use .mps, .fmps, .lp, .glpk, optionally .gz)")
        }
        if !FileManager.default.isReadableFile(atPath: path) {
            throw ModelError(.fileFormat, at: path, value: "", "cannot be read (missing or not readable)")
        }
        do {
            return try readOnce(path, format: format, log: log)
        } catch let error where format == .mps && error.guardName == .fileFormat {
            if let model = try? readOnce(path, format: .freeMPS, log: log) { return model }
            throw error
        }
    }

    private static func readOnce(_ path: String, format: ModelFileFormat,
                                 log: (@Sendable (String) -> Void)?) throws(ModelError) -> Model {
        let capture = TerminalCapture(log: log)
        return try CLocale.run { () throws(ModelError) in
            try Problem.with { problem throws(ModelError) in
                try capture.installed { () throws(ModelError) in
                    let P = try problem.handle()
                    let code: Int32
                    switch format {
                    case .mps: code = glpkshim_read_mps(P, GLP_MPS_DECK, path)
                    case .freeMPS: code = glpkshim_read_mps(P, GLP_MPS_FILE, path)
                    case .lp: code = glpkshim_read_lp(P, path)
                    case .glpk: code = glpkshim_read_prob(P, path)
                    }
                    if code == GLPKSHIM_ABORTED { throw abortedError("reader", capture) }
                    if code != 0 {
                        let message = capture.errorMessage() ?? capture.lastLines(2)
                        throw ModelError(.fileFormat, at: path, value: "", "cannot be read as \(format.rawValue): \(message)")
                    }
                    do throws(ModelError) {
                        return try problem.extract()
                    } catch {
                        throw ModelError(error.guardName, at: path + ": " + error.location, value: error.value, error.reason)
                    }
                }
            }
        }
    }

    /// Writes `model` to `path` in `format` (inferred from the extension
    /// when nil), atomically. A `.gz` path is written compressed.
    public static func write(_ model: Model, to path: String, format: ModelFileFormat? = nil,
                             log: (@Sendable (String) -> Void)? = nil) throws(ModelError) {
        try checkPath(path)
        guard let format = format ?? ModelFileFormat.inferred(from: path) else {
            throw ModelError(.fileFormat, at: path, value: "", "has an unknown extension (use .mps, .fmps, .lp, .glpk, optionally .gz)")
        }
        let capture = TerminalCapture(log: log)
        try AtomicFile.write(to: path, { (temporary: String) throws(ModelError) in
            try checkPath(temporary)
            try CLocale.run { () throws(ModelError) in
                try Problem.with { problem throws(ModelError) in
                    try capture.installed { () throws(ModelError) in
                        _ = try problem.load(model)
                        let P = try problem.handle()
                        let code: Int32
                        switch format {
                        case .mps: code = glpkshim_write_mps(P, GLP_MPS_DECK, temporary)
                        case .freeMPS: code = glpkshim_write_mps(P, GLP_MPS_FILE, temporary)
                        case .lp: code = glpkshim_write_lp(P, temporary)
                        case .glpk: code = glpkshim_write_prob(P, temporary)
                        }
                        if code == GLPKSHIM_ABORTED { throw abortedError("writer", capture) }
                        if code != 0 {
                            throw ModelError(.fileFormat, at: path, value: "", "cannot be written: " + capture.lastLines(2))
                        }
                    }
                }
            }
        }, renameFailed: { ModelError(.fileFormat, at: path, value: "", "cannot be written: " + $0.reason) })
    }
}

extension Problem {
    /// Copies this problem into a ``Model`` (checked like any model).
    func extract() throws(ModelError) -> Model {
        let P = try handle()
        var model = Model(name: glp_get_prob_name(P).map { String(cString: $0) } ?? "")
        let m = Int(glp_get_num_rows(P)), n = Int(glp_get_num_cols(P))
        func bounds(_ type: Int32, _ lb: Double, _ ub: Double) -> (Double, Double) {
            switch type {
            case GLP_FR: return (-.infinity, .infinity)
            case GLP_LO: return (lb, .infinity)
            case GLP_UP: return (-.infinity, ub)
            default: return (lb, ub)
            }
        }
        for j in 1...max(n, 1) where n > 0 {
            let name = glp_get_col_name(P, Int32(j)).map { String(cString: $0) } ?? ""
            let (lo, hi) = bounds(glp_get_col_type(P, Int32(j)), glp_get_col_lb(P, Int32(j)), glp_get_col_ub(P, Int32(j)))
            let kind: VariableKind = glp_get_col_kind(P, Int32(j)) == GLP_CV ? .continuous : .integer
            try model.addVariable(name, lower: lo, upper: hi, kind: kind, objective: glp_get_obj_coef(P, Int32(j)))
        }
        try model.setObjectiveConstant(glp_get_obj_coef(P, 0))
        model.setSense(glp_get_obj_dir(P) == GLP_MAX ? .maximize : .minimize)
        var indices = [Int32](repeating: 0, count: n + 1)
        var values = [Double](repeating: 0, count: n + 1)
        for i in 1...max(m, 1) where m > 0 {
            let name = glp_get_row_name(P, Int32(i)).map { String(cString: $0) } ?? ""
            let (lo, hi) = bounds(glp_get_row_type(P, Int32(i)), glp_get_row_lb(P, Int32(i)), glp_get_row_ub(P, Int32(i)))
            let count = Int(glp_get_mat_row(P, Int32(i), &indices, &values))
            try model.addConstraint(indices: (1...max(count, 1)).prefix(count).map { Int(indices[$0]) - 1 },
                                    values: Array(values[1..<(count + 1)]), lower: lo, upper: hi, name: name)
        }
        return model
    }
}

/// Runs GLPK file I/O under the C numeric locale (GLPK follows LC_NUMERIC).
enum CLocale {
    static func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        guard let cLocale = newlocale(LC_NUMERIC_MASK, "C", nil) else { return try body() }
        let previous = uselocale(cLocale)
        defer {
            uselocale(previous)
            freelocale(cLocale)
        }
        return try body()
    }
}

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
    public static func write<E: Error>(to path: String, _ produce: (String) throws(E) -> Void,
                                       renameFailed: (WriteError) -> E) throws(E) {
        // Follow symbolic links by hand, so that a dangling link is followed
        // too: the link stays and the file it names is created.
        var target = path
        var linkStatus = stat()
        var hops = 0
        while hops < 40, lstat(target, &linkStatus) == 0, linkStatus.st_mode & S_IFMT == S_IFLNK,
              let destination = linkDestination(target) {
            target = destination.hasPrefix("/")
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
        try write(to: path, { (temporary: String) throws(WriteError) in
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
            var written = 0
            var failure: Int32 = 0
            data.withUnsafeBytes { buffer in
                while written < buffer.count {
                    let count = Glibc.write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                    if count < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    written += count
                }
            }
            if close(descriptor) != 0, failure == 0 { failure = errno }
            if failure != 0 { throw WriteError(path: path, reason: String(cString: strerror(failure))) }
        }, renameFailed: { $0 })
    }
}
