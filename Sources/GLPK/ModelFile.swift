internal import CGLPK
internal import CGLPKShim
import FileIO
import FoundationEssentials
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
            throw ModelError(
                .invalidPath, at: "path", value: "\(path.utf8.count) bytes",
                "is longer than \(maxPathBytes) bytes (GLPK's message buffer)")
        }
    }

    /// Reads a model from `path` in `format` (inferred from the extension
    /// when nil; `.mps` files that are not fixed MPS are retried as free MPS).
    public static func read(
        _ path: String, format: ModelFileFormat? = nil,
        log: (@Sendable (String) -> Void)? = nil
    ) throws(ModelError) -> Model {
        try checkPath(path)
        guard let format = format ?? ModelFileFormat.inferred(from: path) else {
            throw ModelError(.fileFormat, at: path, value: "", "has an unknown extension (use .mps, .fmps, .lp, .glpk, optionally .gz)")
        }
        if !FileBytes.isReadable(path) {
            throw ModelError(.fileFormat, at: path, value: "", "cannot be read (missing or not readable)")
        }
        do {
            return try readOnce(path, format: format, log: log)
        } catch let error where format == .mps && error.guardName == .fileFormat {
            if let model = try? readOnce(path, format: .freeMPS, log: log) { return model }
            throw error
        }
    }

    private static func readOnce(
        _ path: String, format: ModelFileFormat,
        log: (@Sendable (String) -> Void)?
    ) throws(ModelError) -> Model {
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
    public static func write(
        _ model: Model, to path: String, format: ModelFileFormat? = nil,
        log: (@Sendable (String) -> Void)? = nil
    ) throws(ModelError) {
        try checkPath(path)
        guard let format = format ?? ModelFileFormat.inferred(from: path) else {
            throw ModelError(.fileFormat, at: path, value: "", "has an unknown extension (use .mps, .fmps, .lp, .glpk, optionally .gz)")
        }
        let capture = TerminalCapture(log: log)
        try AtomicFile.write(
            to: path,
            { (temporary: String) throws(ModelError) in
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
            try model.addConstraint(
                indices: (1...max(count, 1)).prefix(count).map { Int(indices[$0]) - 1 },
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
