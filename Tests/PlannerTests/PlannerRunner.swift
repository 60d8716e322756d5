import Foundation
import TestSupport

/// Runs the built `planner` executable (next to the test bundle).
struct PlannerRun {
    let status: Int32
    let stdout: String
    let stderr: String
    let stdoutData: Data
}

enum Planner {
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("planner")
    }

    /// Runs `planner arguments`, from the repository root. With `shell`,
    /// runs `bash -c "SHELL; exec planner arguments"` instead (to start the
    /// planner with signal dispositions set by the shell).
    static func run(
        _ arguments: [String], environment: [String: String] = [:], shell: String? = nil,
        tool: String = "planner"
    ) throws -> PlannerRun {
        let process = Process()
        var url = executable.deletingLastPathComponent().appendingPathComponent(tool)
        if !FileManager.default.fileExists(atPath: url.path) {
            // The XCTest bundle layout: .build/debug/X.xctest/... ; look upwards.
            url = TestPaths.repository.appendingPathComponent(".build/debug/\(tool)")
        }
        if let shell {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", shell + "; exec \"$0\" \"$@\"", url.path] + arguments
        } else {
            process.executableURL = url
            process.arguments = arguments
        }
        process.currentDirectoryURL = TestPaths.repository
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes fully before waiting (large outputs).
        // Written by the reader before group.leave(), read after group.wait().
        nonisolated(unsafe) var outData = Data()
        var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave()
        }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return PlannerRun(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), stdoutData: outData)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("planner-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
