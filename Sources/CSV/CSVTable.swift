/// A CSV file read by RFC 4180's rules: comma-separated fields, fields in
/// double quotes may hold commas, line breaks and doubled quotes (`""`),
/// rows end at LF or CRLF, a UTF-8 byte-order mark is skipped, and blank
/// lines are ignored. The first row is the header.
///
/// The coalition data used to be read with SwiftCSV. That package needs all
/// of Foundation (`CharacterSet`, `NSString` APIs), and everything linked
/// into the planner is paid for by every run: without it `planner solve`
/// starts 1.2 ms faster and peaks 1.6 MB lower (BENCHMARKS.md, "The fixed
/// cost"). Reading these 14 small files needs only this much.
public struct CSVTable: Sendable {
    /// One data row: its fields by column name (a short row gets `""` for
    /// its missing columns; fields past the header are dropped) and the
    /// 1-based line where it starts.
    public struct Row: Sendable {
        public let line: Int
        public let fields: [String: String]
    }

    /// A malformed file: what is wrong, and the 1-based line.
    public struct ParseError: Error, Sendable, Equatable {
        public let line: Int
        public let message: String
    }

    public let header: [String]
    public let rows: [Row]

    /// Parses CSV text.
    public init(parsing text: String) throws(ParseError) {
        let records = try Self.records(text)
        guard let first = records.first else {
            header = []
            rows = []
            return
        }
        header = first.fields
        rows = records.dropFirst().map { record in
            var fields: [String: String] = [:]
            for (index, name) in first.fields.enumerated() where fields[name] == nil {
                fields[name] = index < record.fields.count ? record.fields[index] : ""
            }
            return Row(line: record.line, fields: fields)
        }
    }

    /// The records of `text` with the line each starts on, blank lines skipped.
    private static func records(_ text: String) throws(ParseError) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var quoted = false, wasQuoted = false
        var bytes = Array(text.utf8)[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            if quoted {
                switch byte {
                case UInt8(ascii: "\""):
                    if index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                        wasQuoted = true
                    }
                case UInt8(ascii: "\n"):
                    line += 1
                    field.append(byte)
                default:
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r") where index < bytes.endIndex && bytes[index] == UInt8(ascii: "\n"):
                continue  // the LF ends the record
            case UInt8(ascii: "\n"):
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                guard field.isEmpty, !wasQuoted else {
                    throw ParseError(line: line, message: "a double quote inside a field that does not start with one")
                }
                quoted = true
            default:
                if wasQuoted {
                    throw ParseError(line: line, message: "text after the closing double quote of a field")
                }
                field.append(byte)
            }
        }
        if quoted { throw ParseError(line: recordLine, message: "a quoted field that is never closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }
}
