public import Foundation

/// Where the repository and `../shared` are, seen from the tests.
public enum TestPaths {
    /// The repository root (this file is Tests/TestSupport/TestSupport.swift).
    public static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the checkout, or `$SHARED_DIR`; nil when absent.
    public static var shared: URL? {
        if let override = ProcessInfo.processInfo.environment["SHARED_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        let candidate = repository.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: candidate.path) ? candidate : nil
    }

    /// Whether `../shared/NAME` is there: the condition of the tests that
    /// need it, so that without it they are reported as skipped, not passed.
    public static func has(_ name: String) -> Bool {
        guard let shared else { return false }
        return FileManager.default.fileExists(atPath: shared.appendingPathComponent(name).path)
    }

    /// A folder of `../shared`, or nil with a message on stderr saying why tests skip.
    public static func sharedFolder(_ name: String) -> URL? {
        guard let shared, FileManager.default.fileExists(atPath: shared.appendingPathComponent(name).path) else {
            FileHandle.standardError.write(Data("note: ../shared/\(name) is absent; its tests are skipped\n".utf8))
            return nil
        }
        return shared.appendingPathComponent(name)
    }

    /// Whether an environment switch is on ("1", "true", "yes").
    public static func flag(_ name: String) -> Bool {
        let value = ProcessInfo.processInfo.environment[name]?.lowercased() ?? ""
        return ["1", "true", "yes", "on"].contains(value)
    }
}

/// |a - b| <= tolerance * max(1, |b|).
public func isClose(_ a: Double?, _ b: Double, relative tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance * max(1, abs(b))
}

/// Parses a simple CSV with a header row (no quoted commas needed by the test sets).
public func readCSV(_ url: URL) throws -> [[String: String]] {
    let text = try String(contentsOf: url, encoding: .utf8)
    var lines = text.split(whereSeparator: \.isNewline).map(String.init)
    guard !lines.isEmpty else { return [] }
    let header = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    return lines.map { line in
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var row: [String: String] = [:]
        for (k, name) in header.enumerated() where k < fields.count { row[name] = fields[k] }
        return row
    }
}
