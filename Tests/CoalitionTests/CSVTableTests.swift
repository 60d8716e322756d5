import Foundation
import Testing

@testable import CSV

/// The coalition data's CSV reader (RFC 4180), on hand-written cases and on
/// every file of instances/data against the tests' own parser.
@Suite struct CSVTableTests {
    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let table = try CSVTable(parsing: "id,note,n\na,\"x, \"\"y\"\"\nz\",1\nb,plain,2\n")
        #expect(table.header == ["id", "note", "n"])
        #expect(
            table.rows.map(\.fields) == [
                ["id": "a", "note": "x, \"y\"\nz", "n": "1"],
                ["id": "b", "note": "plain", "n": "2"]
            ])
        // The second record starts on line 4: the quoted field spans lines 2 and 3.
        #expect(table.rows.map(\.line) == [2, 4])
    }

    @Test func crlfBomShortRowsAndBlankLines() throws {
        let table = try CSVTable(parsing: "\u{FEFF}a,b,c\r\n1,2,3\r\n\r\n4\r\n5,6,7,8")
        #expect(table.header == ["a", "b", "c"])
        #expect(
            table.rows.map(\.fields) == [
                ["a": "1", "b": "2", "c": "3"],
                ["a": "4", "b": "", "c": ""],
                ["a": "5", "b": "6", "c": "7"]
            ])
        #expect(table.rows.map(\.line) == [2, 4, 5])
    }

    @Test func emptyFieldsAndEmptyQuotedFields() throws {
        let table = try CSVTable(parsing: "a,b,c\n,\"\",\n")
        #expect(table.rows.map(\.fields) == [["a": "", "b": "", "c": ""]])
    }

    @Test func malformedQuotesNameTheLine() {
        #expect(throws: CSVTable.ParseError(line: 3, message: "a quoted field that is never closed")) {
            try CSVTable(parsing: "a,b\n1,2\n3,\"open\n4,5\n")
        }
        #expect(throws: CSVTable.ParseError(line: 2, message: "a double quote inside a field that does not start with one")) {
            try CSVTable(parsing: "a,b\n1,x\"y\n")
        }
        #expect(throws: CSVTable.ParseError(line: 2, message: "text after the closing double quote of a field")) {
            try CSVTable(parsing: "a,b\n1,\"x\"y\n")
        }
    }

    /// Every data file reads the same as with the tests' own parser.
    @Test(
        arguments: try FileManager.default.contentsOfDirectory(atPath: CoalitionPaths.data.path)
            .filter { $0.hasSuffix(".csv") }.sorted())
    func dataFilesMatchAnIndependentParser(_ file: String) throws {
        let text = try String(contentsOf: CoalitionPaths.data.appendingPathComponent(file), encoding: .utf8)
        let table = try CSVTable(parsing: text)
        #expect(table.rows.map(\.fields) == parseQuotedCSV(text), "\(file)")
        #expect(table.rows.count > 0)
    }
}
