import StrictJSON

/// "Did you mean": the candidate closest to a misspelt name, ignoring case,
/// when it is close enough to be the one meant: the same letters in another
/// case for names of up to three letters (country codes), one edit for
/// names of up to five, two or a fifth of the length beyond (long ids such
/// as `mine-cobalt-DRC` for `mine-cobalt-COD`).
public enum Suggestion {
    /// The closest candidate, or nil when none is close enough (or the name
    /// is itself a candidate).
    public static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        let target = Array(name.lowercased().unicodeScalars)
        guard !target.isEmpty, target.count <= 80 else { return nil }
        // Country codes differ only in case ("usa" for "USA"): "RUS" is not
        // "AUS". Short names allow one edit, long ids a fifth of their length.
        let allowed = target.count <= 3 ? 0 : target.count <= 5 ? 1 : max(2, target.count / 5)
        var best: (name: String, distance: Int, shared: Int)?
        for candidate in candidates where candidate != name {
            let other = Array(candidate.lowercased().unicodeScalars)
            guard abs(other.count - target.count) <= allowed else { continue }
            let distance = editDistance(target, other)
            guard distance <= allowed else { continue }
            // Ties go to the candidate sharing more letters (DRC: COD, not AUS), then by name.
            let shared = sharedLetters(target, other)
            if let b = best, (distance, -shared, candidate) >= (b.distance, -b.shared, b.name) { continue }
            best = (candidate, distance, shared)
        }
        return best?.name
    }

    /// ` (did you mean "X"?)`, or "" when nothing is close.
    public static func hint(_ name: String, in candidates: some Sequence<String>) -> String {
        closest(to: name, in: candidates).map { " (did you mean \(JSONWriter.quoted($0))?)" } ?? ""
    }

    /// How many letters two names share, counted with repetition.
    static func sharedLetters(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        var counts: [Unicode.Scalar: Int] = [:]
        for c in a { counts[c, default: 0] += 1 }
        var shared = 0
        for c in b {
            guard let left = counts[c], left > 0 else { continue }
            counts[c] = left - 1
            shared += 1
        }
        return shared
    }

    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
