import Synchronization

/// The threads of a decomposed MIP shared between its blocks' searches
/// (docs/FORMULATION.md section 23).
///
/// Every block's search runs on a thread of its own, but only `tokens` of
/// them run at once. A block holding a token gives it up at a node of its
/// search (GLPK's callback, ``checkpoint(_:)``) once it has held it for
/// `quantum` seconds and a waiting block comes first: a block that has not
/// started (in slot order), then the block that has held a token the least
/// time in all (ties in slot order). So every block starts and reaches its
/// root and a plan within seconds, the unfinished blocks share the threads equally,
/// and the whole model's gap (``GapBudget``) is shared from then on, instead
/// of each block waiting for a thread until the blocks before it end.
/// Measured against giving the threads to the largest gaps, which kept
/// stuck blocks on both threads while gaps that close cheaply waited
/// (BENCHMARKS.md, issue 17, eighth measurement).
///
/// Threads left over once every unfinished block holds a token are spares
/// (``enterSpare()``), for the second searches of ``SearchRace``. After
/// `deadline` nobody waits: every thread runs on, to stop at its time limit.
public final class SearchGate: Sendable {
    /// How many searches run at once.
    public let tokens: Int
    /// How many blocks share them.
    public let slots: Int
    /// Seconds a block keeps a token before it gives way.
    public let quantum: Double
    /// When waiting ends (the solve's time limit).
    public let deadline: ContinuousClock.Instant?

    enum Phase: Equatable { case notStarted, holding, paused, finished }
    struct State {
        /// `holding` is also a slot granted a token whose thread has yet to see it.
        var phase: [Phase]
        /// When the slot last took a token.
        var since: [ContinuousClock.Instant]
        /// Seconds each slot has held a token (up to its last checkpoint or yield).
        var held: [Double]
        /// Tokens nobody holds.
        var free: Int
        /// Tokens held by spare threads.
        var spares = 0
        /// Slots not finished.
        var unfinished: Int
        /// Tokens passed from one running slot to another.
        var switches = 0
    }
    let state: Mutex<State>

    /// A gate of `tokens` tokens over `slots` blocks, the first `tokens`
    /// slots granted at once.
    public init(tokens: Int, slots: Int, quantum: Double, deadline: ContinuousClock.Instant? = nil) {
        self.tokens = max(1, tokens)
        self.slots = max(0, slots)
        self.quantum = quantum
        self.deadline = deadline
        let now = ContinuousClock.now
        var s = State(
            phase: Array(repeating: .notStarted, count: self.slots),
            since: Array(repeating: now, count: self.slots), held: Array(repeating: 0, count: self.slots), free: self.tokens,
            unfinished: self.slots)
        Self.dispatch(&s, now: now)
        self.state = Mutex(s)
    }

    /// The waiting slot that comes first (not started, in slot order; then
    /// paused, the least time held first), nil when none waits.
    static func firstWaiting(_ s: State) -> Int? {
        var best: Int?
        for b in s.phase.indices where s.phase[b] == .notStarted || s.phase[b] == .paused {
            guard let current = best else {
                best = b
                continue
            }
            if comesFirst(b, before: current, s) { best = b }
        }
        return best
    }

    /// Whether waiting slot `a` comes before waiting slot `b`.
    static func comesFirst(_ a: Int, before b: Int, _ s: State) -> Bool {
        let startedA = s.phase[a] != .notStarted, startedB = s.phase[b] != .notStarted
        if startedA != startedB { return !startedA }
        if startedA && s.held[a] != s.held[b] { return s.held[a] < s.held[b] }
        return a < b
    }

    /// Hands free tokens to the waiting slots that come first.
    static func dispatch(_ s: inout State, now: ContinuousClock.Instant) {
        while s.free > 0, let next = firstWaiting(s) {
            s.phase[next] = .holding
            s.since[next] = now
            s.free -= 1
        }
    }

    private func pastDeadline() -> Bool { deadline.map { ContinuousClock.now >= $0 } ?? false }

    /// Polls `attempt` (backing off from 50 µs to 2 ms) until it answers,
    /// or until the deadline has passed (nil).
    private func poll(_ attempt: (inout State) -> Bool?) -> Bool? {
        var pause = 0.000_05
        while true {
            if let answer = state.withLock({ attempt(&$0) }) { return answer }
            if pastDeadline() { return nil }
            usleepSeconds(pause)
            pause = min(pause * 2, 0.002)
        }
    }

    /// Waits until `slot` holds a token (or the deadline has passed).
    private func awaitToken(_ slot: Int) {
        _ = poll { s in s.phase[slot] == .holding ? true : nil }
    }

    /// Block `slot` is about to start: returns once it holds a token.
    public func enter(_ slot: Int) {
        guard slot >= 0 && slot < slots else { return }
        awaitToken(slot)
    }

    /// Block `slot` has ended: its token passes to the first waiting slot.
    public func leave(_ slot: Int) {
        guard slot >= 0 && slot < slots else { return }
        state.withLock { s in
            guard s.phase[slot] != .finished else { return }
            if s.phase[slot] == .holding { s.free += 1 }
            s.phase[slot] = .finished
            s.unfinished -= 1
            Self.dispatch(&s, now: .now)
        }
    }

    /// From block `slot`'s search at a node: when it has held its token for
    /// the quantum and a waiting slot comes first, hands the token over and
    /// waits for one. Returns at once when the slot holds no token (past
    /// the deadline).
    public func checkpoint(_ slot: Int) {
        guard slot >= 0 && slot < slots else { return }
        let now = ContinuousClock.now
        let yielded = state.withLock { s -> Bool in
            guard s.phase[slot] == .holding, now - s.since[slot] >= .seconds(quantum), let next = Self.firstWaiting(s)
            else { return false }
            s.held[slot] += (now - s.since[slot]).inSecondsValue
            s.since[slot] = now
            // When the waiting slot does not come first, this one keeps the
            // token for another quantum.
            guard Self.comesFirst(next, before: slot, s) else { return false }
            s.phase[slot] = .paused
            s.phase[next] = .holding
            s.since[next] = now
            s.switches += 1
            return true
        }
        if yielded { awaitToken(slot) }
    }

    /// A spare thread (a race's second search) waits for a token no block
    /// needs: every unfinished block holds one and one is left. False once
    /// every block has finished (nothing left to help).
    public func enterSpare() -> Bool {
        poll { s -> Bool? in
            if s.unfinished == 0 { return false }
            guard s.free > 0, s.unfinished + s.spares < tokens, Self.firstWaiting(s) == nil else { return nil }
            s.free -= 1
            s.spares += 1
            return true
        } ?? false
    }

    /// A spare thread's search has ended: its token is free again.
    public func leaveSpare() {
        state.withLock { s in
            guard s.spares > 0 else { return }
            s.spares -= 1
            s.free += 1
            Self.dispatch(&s, now: .now)
        }
    }

    /// Whether no block waits for a token (every unfinished block holds one).
    public var noneWaiting: Bool { state.withLock { Self.firstWaiting($0) == nil } }

    /// How many times a token passed from one running block to another.
    public var switches: Int { state.withLock { $0.switches } }
}

/// One block's handle on a ``SearchGate`` (what a solve of that block is given).
public final class SearchGateEntry: Sendable {
    public let gate: SearchGate
    public let slot: Int

    public init(_ gate: SearchGate, slot: Int) {
        self.gate = gate
        self.slot = slot
    }

    /// ``SearchGate/checkpoint(_:)`` for this block.
    public func checkpoint() { gate.checkpoint(slot) }
}
