import Foundation
import StrictJSON
import TestSupport
import Testing

/// Runs a program to completion: its exit status, stdout and stderr.
private func runProgram(_ path: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.currentDirectoryURL = TestPaths.repository
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    nonisolated(unsafe) var outData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave()
    }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// Debian's headless browser, when installed (.ci/run installs it).
private let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// The HTML report opened in a real browser (issue 15): it renders, every
/// Sankey has one path per flow group, and the console stays silent.
@Suite(.serialized) struct ReportBrowserTests {
    /// Flow groups per mineral, computed from the plan's JSON on its own:
    /// (mine country, refining country) for every country whose ore feeds
    /// a refinery that ships product (a source, with no ore, counts as its
    /// own country) and (refining country, buyer) for every product flow.
    static func expectedGroups(_ plan: JSONValue) -> [String: Int] {
        var country: [String: String] = [:]
        for f in plan["facilities"]?.arrayElements ?? [] {
            if let id = f["id"]?.stringValue, let c = f["country"]?.stringValue { country[id] = c }
        }
        var oreCountries: [String: Set<String>] = [:]
        for f in plan["flows"]?["ore"]?.arrayElements ?? [] {
            guard let mine = f["mine"]?.stringValue, let refinery = f["refinery"]?.stringValue else { continue }
            if (f["clean"]?.numberValue ?? 0) + (f["exposed"]?.numberValue ?? 0) > 0 {
                oreCountries[refinery, default: []].insert(country[mine] ?? "?")
            }
        }
        var groups: [String: Set<String>] = [:]
        for f in plan["flows"]?["product"]?.arrayElements ?? [] {
            guard let refinery = f["refinery"]?.stringValue, let buyer = f["buyer"]?.stringValue,
                let mineral = f["mineral"]?.stringValue
            else { continue }
            let refiningCountry = country[refinery] ?? "?"
            groups[mineral, default: []].insert("R|" + refiningCountry + "|" + buyer)
            for origin in oreCountries[refinery] ?? [refiningCountry] {
                groups[mineral, default: []].insert("L|" + origin + "|" + refiningCountry)
            }
        }
        return groups.mapValues(\.count)
    }

    @Test(.enabled(if: chromium != nil, "Chromium is not installed (apt-get install chromium); the browser test is skipped"))
    func referenceReportRendersInChromium() throws {
        let browser = try #require(chromium)
        let dir = try Planner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("report.html")
        let run = try Planner.run([
            "report", "--scenario", "instances/scenarios/antimony-controls.json", "--frontier", "gallium", "--quiet",
            "-o", html.path
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        // Self-contained: nothing to fetch, no script.
        #expect(!page.contains("src=") && !page.contains("href=\"http") && !page.contains("url("), "the page refers to a file")
        #expect(!page.contains("<script") && !page.contains("<link ") && !page.contains("@import"))

        let profile = dir.appendingPathComponent("profile").path
        let common = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile,
            "--enable-logging=stderr", "--v=0"
        ]
        // The DOM as the browser parsed it: one link path per flow group.
        let dom = try runProgram(browser, common + ["--dump-dom", html.absoluteString])
        #expect(dom.status == 0, "\(dom.stderr.suffix(500))")
        let plan = try JSONParser.parse(Data(try Planner.run(["solve", "--format", "json"]).stdout.utf8))
        let expected = Self.expectedGroups(plan)
        var seen: [String: Int] = [:]
        for chunk in dom.stdout.components(separatedBy: "<svg class=\"sankey\"").dropFirst() {
            let svg = chunk.components(separatedBy: "</svg>")[0]
            guard let label = svg.range(of: "aria-label=\"Sankey diagram of ") else { continue }
            let mineral = String(svg[label.upperBound...].prefix { $0 != " " })
            seen[mineral] = svg.components(separatedBy: "class=\"link\"").count - 1
        }
        #expect(!seen.isEmpty)
        #expect(seen == expected, "Sankey paths per mineral \(seen) against flow groups \(expected)")
        // No console message of any kind (no errors, no failed loads).
        let console = (dom.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") })
        #expect(console.isEmpty, "\(console)")

        // A screenshot that shows something: ink and colours, not a blank page.
        let shot = dir.appendingPathComponent("shot.png")
        let screenshot = try runProgram(browser, common + ["--window-size=1200,3000", "--screenshot=" + shot.path, html.absoluteString])
        #expect(screenshot.status == 0, "\(screenshot.stderr.suffix(500))")
        let stats = try runProgram(
            "/usr/bin/env", ["python3", TestPaths.repository.appendingPathComponent("scripts/png-stats").path, shot.path])
        #expect(stats.status == 0, "\(stats.stderr)")
        let fields = stats.stdout.split(separator: " ").map(String.init)
        #expect(fields.count == 4 && fields[0] == "1200", "\(stats.stdout)")
        if fields.count == 4 {
            #expect((Double(fields[2]) ?? 0) > 0.05, "mostly blank: \(stats.stdout)")
            #expect((Int(fields[3].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 8, "too few colours: \(stats.stdout)")
        }
    }
}
