/// Small helpers to write SVG and HTML by hand: escaping, coordinates and
/// "nice" axis ticks. Everything the report draws is plain SVG made here
/// (no script, no fetched library), so it renders offline and prints.
public enum SVG {
    /// `text` safe inside an element or a double-quoted attribute.
    public static func escape(_ text: String) -> String {
        // Most names need nothing: a scan of the bytes, no copy.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A coordinate to two decimals, shortest form (`12.5`, `3`).
    public static func coordinate(_ v: Double) -> String {
        var markup = Markup(capacity: 16)
        markup.coordinate(v)
        return markup.text
    }

    /// About `count` round tick values (1, 2 or 5 times a power of ten)
    /// covering [low, high].
    public static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        guard low.isFinite, high.isFinite, high > low, count > 0 else { return [low] }
        let raw = (high - low) / Double(count)
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        var t = (low / step).rounded(.down) * step
        var out: [Double] = []
        while t <= high + step * 1e-9 && out.count < 50 {
            if t >= low - step * 1e-9 { out.append(abs(t) < step * 1e-9 ? 0 : t) }
            t += step
        }
        return out
    }

    /// Labels for axis ticks `ticks`: compact (``compactUSD(_:)``) when
    /// that tells them apart, else with as many decimals as their step needs
    /// (`159.5 bn`, `160 bn`, `160.5 bn`).
    public static func tickLabels(_ ticks: [Double], format: (Double) -> String) -> [String] {
        let plain = ticks.map(format)
        guard Set(plain).count < plain.count, ticks.count > 1 else { return plain }
        let step = abs(ticks[1] - ticks[0])
        let top = ticks.map(abs).max() ?? 0
        let unit = top >= 1e9 ? 1e9 : top >= 1e6 ? 1e6 : top >= 1e4 ? 1e3 : 1
        let suffix = unit == 1e9 ? " bn" : unit == 1e6 ? " m" : unit == 1e3 ? " k" : ""
        var decimals = 0
        while decimals < 9 && (step / unit) * pow10(decimals) < 0.999 { decimals += 1 }
        return ticks.map { cFormat("%.*f", Int32(decimals), $0 / unit) + suffix }
    }

    private static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { a, _ in a * 10 } }

    /// A compact money label for an axis or a bar: `1.2 bn`, `350 m`, `12.5 k`.
    public static func compactUSD(_ x: Double) -> String {
        let a = abs(x)
        if a >= 1e9 { return Readable.significant(x / 1e9, digits: 3) + " bn" }
        if a >= 1e6 { return Readable.significant(x / 1e6, digits: 3) + " m" }
        if a >= 1e4 { return Readable.significant(x / 1e3, digits: 3) + " k" }
        return Readable.number(x)
    }
}

/// Markup written as UTF-8 bytes: each piece's bytes are copied once, with
/// none of the work a growing `String` does on every append (the Sankey
/// diagrams of a large plan are hundreds of thousands of pieces).
struct Markup {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Makes room for `more` bytes beyond those written.
    mutating func reserve(_ more: Int) { bytes.reserveCapacity(bytes.count + more) }

    /// Appends each piece in order.
    mutating func add(_ pieces: String...) {
        for piece in pieces { add(piece) }
    }

    /// Appends one piece.
    mutating func add(_ piece: String) {
        var piece = piece
        piece.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends `x,y`: `x` as given, `y` as a coordinate.
    mutating func point(_ x: String, _ y: Double) {
        add(x)
        bytes.append(0x2C)
        coordinate(y)
    }

    /// Appends `v` to two decimals, shortest form (``SVG/coordinate(_:)``),
    /// digit by digit, with no string in between.
    mutating func coordinate(_ v: Double) {
        guard v.isFinite, abs(v) < 1e13 else { return bytes.append(0x30) }
        let n = Int64((v * 100).rounded())
        if n == 0 { return bytes.append(0x30) }
        if n < 0 { bytes.append(0x2D) }
        let magnitude = n.magnitude
        var whole = magnitude / 100
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(0x30 + whole % 10)
                whole /= 10
                count += 1
            } while whole > 0
            for k in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[k]) }
        }
        let cents = magnitude % 100
        if cents != 0 {
            bytes.append(0x2E)
            bytes.append(UInt8(0x30 + cents / 10))
            if cents % 10 != 0 { bytes.append(UInt8(0x30 + cents % 10)) }
        }
    }

    /// The markup as a string.
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
