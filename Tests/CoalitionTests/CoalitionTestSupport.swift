import Foundation
import TestSupport

/// Paths of the coalition files in the repository.
enum CoalitionPaths {
    static let instances = TestPaths.repository.appendingPathComponent("instances")
    static let data = instances.appendingPathComponent("data")
    static let instance = instances.appendingPathComponent("coalition-2026.json")
    static let scenarios = instances.appendingPathComponent("scenarios")
}

/// Parses CSV text with a header row (RFC 4180: quoted fields, doubled quotes,
/// CRLF or LF line ends) into one dictionary per row.
func parseQuotedCSV(_ text: String) -> [[String: String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var index = text.startIndex
    while index < text.endIndex {
        let character = text[index]
        index = text.index(after: index)
        if quoted {
            if character == "\"" {
                if index < text.endIndex && text[index] == "\"" {
                    field.append("\"")
                    index = text.index(after: index)
                } else {
                    quoted = false
                }
            } else {
                field.append(character)
            }
            continue
        }
        switch character {
        case "\"": quoted = true
        case ",": record.append(field); field = ""
        case "\n", "\r\n", "\r":
            record.append(field); field = ""
            records.append(record); record = []
        default: field.append(character)
        }
    }
    if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
    guard let header = records.first else { return [] }
    return records.dropFirst().map { values in
        var row: [String: String] = [:]
        for (name, value) in zip(header, values) { row[name] = value }
        return row
    }
}

/// A CSV file as rows (see ``parseQuotedCSV(_:)``).
func readQuotedCSV(_ url: URL) throws -> [[String: String]] {
    parseQuotedCSV(try String(contentsOf: url, encoding: .utf8))
}
