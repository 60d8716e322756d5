import StrictJSON

/// Where a field sits, rendered to a path string only when a diagnostic
/// needs it (a big instance has millions of fields and, one hopes, no errors).
///
/// Covers every shape the instance format has: `mines[3]`,
/// `buyers[0].demand`, `policy`, `policy.blocked[1]`, and the top level ("").
struct FieldLocation {
    var base: String
    var index: Int?
    var sub: String?

    init(_ base: String, index: Int? = nil, sub: String? = nil) {
        self.base = base
        self.index = index
        self.sub = sub
    }

    static let root = FieldLocation("")

    /// The path of the object itself: `mines[3]`.
    var path: String {
        var text = base
        if let index { text = JSONPath.appending(text, index: index) }
        if let sub { text = JSONPath.appending(text, key: sub) }
        return text
    }

    /// The path of one of its fields: `mines[3].capacity`.
    func field(_ key: String) -> String {
        JSONPath.appending(path, key: key)
    }
}

/// Collects diagnostics for one file and remembers which paths already have
/// an error, so a later check does not report the same field twice.
struct DiagnosticSink {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var errorCount = 0
    /// Paths with an error that leaves the mapped value a placeholder.
    private var coveredPaths: Set<String> = []

    init(file: String) {
        self.file = file
    }

    /// Records an error at `path`. With `covers` (the default), checks that
    /// run later skip this path and everything under it.
    mutating func error(_ path: String, _ message: String, covers: Bool = true) {
        diagnostics.append(.error(file: file, path: path, message))
        errorCount += 1
        if covers { coveredPaths.insert(path) }
    }

    mutating func warning(_ path: String, _ message: String) {
        diagnostics.append(.warning(file: file, path: path, message))
    }

    /// Adds a diagnostic found by a later check unless its path, or a path
    /// it lies under, already has an error.
    mutating func addUnlessCovered(_ diagnostic: Diagnostic) {
        guard !isCovered(diagnostic.path) else { return }
        diagnostics.append(diagnostic)
        if diagnostic.severity == .error { errorCount += 1 }
    }

    /// Whether `path` or one of its ancestors (cut at `.` or `[`) has an error.
    func isCovered(_ path: String) -> Bool {
        guard !coveredPaths.isEmpty else { return false }
        if coveredPaths.contains(path) { return true }
        let utf8 = path.utf8
        var cut = utf8.startIndex
        while cut != utf8.endIndex {
            let byte = utf8[cut]
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "["),
                let prefix = String(utf8[utf8.startIndex..<cut]), coveredPaths.contains(prefix)
            {
                return true
            }
            cut = utf8.index(after: cut)
        }
        return false
    }
}
