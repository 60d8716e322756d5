import LinearModel
import Synchronization
import Testing

/// The threads of a decomposed MIP passed between its blocks' searches
/// (``SearchGate``, docs/FORMULATION.md section 23).
@Suite struct SearchGateTests {
    /// One token, three blocks, no quantum: the order is fixed by the rule.
    /// Block 0 holds the token from the start and gives way to block 1 (not
    /// started), block 1 at once to block 2 (not started); block 2, after
    /// 0.2 s, to the block that has run least: block 1 (about 0 s) before
    /// block 0 (0.4 s). When block 1 ends the token goes to block 2 (0.2 s)
    /// before block 0, and then to block 0.
    @Test func theTokenGoesToUnstartedBlocksThenToTheLeastRun() {
        let gate = SearchGate(tokens: 1, slots: 3, quantum: 0)
        let log = Mutex<[String]>([])
        let runs: [Double] = [0.4, 0, 0.2]
        parallelForEach(3, threads: 3) { slot in
            gate.enter(slot)
            log.withLock { $0.append("start \(slot)") }
            if runs[slot] > 0 {
                let until = ContinuousClock.now + .milliseconds(Int(runs[slot] * 1000))
                while ContinuousClock.now < until {}
            }
            gate.checkpoint(slot)
            log.withLock { $0.append("resume \(slot)") }
            gate.leave(slot)
        }
        #expect(
            log.withLock { $0 } == ["start 0", "start 1", "start 2", "resume 1", "resume 2", "resume 0"],
            "\(log.withLock { $0 })")
        #expect(gate.switches == 3)
    }

    /// Many blocks on two tokens, giving way at every node: never more than
    /// two run at once (a spare thread included), every block ends, and a
    /// spare runs only once every unfinished block can hold a token.
    @Test(arguments: [1, 2, 3])
    func neverMoreSearchesThanTokens(extraSteps: Int) {
        let tokens = 2, slots = 7
        let gate = SearchGate(tokens: tokens, slots: slots, quantum: 0)
        let running = Atomic<Int>(0), most = Atomic<Int>(0), finished = Atomic<Int>(0), ended = Atomic<Int>(0)
        let spareSawTooMany = Atomic<Bool>(false), spareRan = Atomic<Bool>(false)
        @Sendable func run() {
            let now = running.add(1, ordering: .sequentiallyConsistent).newValue
            _ = most.max(now, ordering: .sequentiallyConsistent)
            for _ in 0..<200 { _ = running.load(ordering: .relaxed) }
            running.subtract(1, ordering: .sequentiallyConsistent)
        }
        parallelForEach(slots + 1, threads: slots + 1) { slot in
            guard slot < slots else {
                if gate.enterSpare() {
                    spareRan.store(true, ordering: .relaxed)
                    if slots - finished.load(ordering: .sequentiallyConsistent) > tokens - 1 {
                        spareSawTooMany.store(true, ordering: .relaxed)
                    }
                    run()
                    gate.leaveSpare()
                }
                return
            }
            gate.enter(slot)
            for _ in 0..<(20 + slot * 7 + extraSteps) {
                run()
                gate.checkpoint(slot)
            }
            finished.add(1, ordering: .sequentiallyConsistent)
            if slot == slots - 1 {
                // The last block keeps its token until the spare has run
                // (the others end on the other token), at most 10 s.
                let until = ContinuousClock.now + .seconds(10)
                while !spareRan.load(ordering: .relaxed) && ContinuousClock.now < until {
                    _ = running.load(ordering: .relaxed)
                }
            }
            gate.leave(slot)
            ended.add(1, ordering: .relaxed)
        }
        let peak = most.load(ordering: .relaxed), count = ended.load(ordering: .relaxed)
        #expect(peak <= tokens && peak >= 1, "\(peak) at once")
        #expect(count == slots)
        let ran = spareRan.load(ordering: .relaxed), sawTooMany = spareSawTooMany.load(ordering: .relaxed)
        #expect(ran)
        #expect(!sawTooMany)
        #expect(gate.switches > 0)
    }

    /// Past the deadline nobody waits: a block that would wait for a token
    /// runs on (to stop at its own time limit).
    @Test func nobodyWaitsPastTheDeadline() {
        let gate = SearchGate(tokens: 1, slots: 2, quantum: 0, deadline: .now)
        let done = Atomic<Int>(0)
        parallelForEach(2, threads: 2) { slot in
            gate.enter(slot)
            gate.checkpoint(slot)
            done.add(1, ordering: .relaxed)
        }
        let count = done.load(ordering: .relaxed)
        #expect(count == 2)
    }
}
