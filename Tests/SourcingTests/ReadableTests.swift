import Sourcing
import TestSupport
import Testing

/// Numbers as the text reports print them (docs/REPORTS.md, "Text").
@Suite struct ReadableTests {
    @Test func numbersForPeople() {
        #expect(Readable.usd(159_387_099_019) == "159,387,099,019 USD")
        #expect(Readable.usd(6_606_720_708.16) == "6,606,720,708 USD")
        #expect(Readable.tonnes(1870.799) == "1,871 t")
        #expect(Readable.tonnes(64.8) == "64.8 t")
        #expect(Readable.tonnes(0.031249) == "0.0312 t")
        #expect(Readable.tonnes(0) == "0 t")
        #expect(Readable.number(-1234.5) == "-1,235")
        #expect(Readable.number(99.96) == "100")
        #expect(Readable.share(0.1544) == "15.4%")
        #expect(Readable.share(0.016723) == "1.67%")
        #expect(Readable.share(0.2) == "20%")
        #expect(Readable.share(1) == "100%")
        #expect(Readable.share(0.833333333333) == "83.3%")
        #expect(Readable.share(nil) == "-")
        #expect(Readable.usdPerTonne(479_999.999999) == "480,000 USD/t")
        #expect(Readable.usdChange(614_968_437) == "+614,968,437 USD")
        #expect(Readable.sharePoints(0.1377) == "+13.8 pp")
    }
}

extension ReadableTests {
    /// The integer formatting paths: negatives, rounding up to the next
    /// digit, tiny shares, SVG coordinates.
    @Test func integerFormatting() {
        #expect(Readable.number(-0.5) == "-0.5")
        #expect(Readable.number(9.996) == "10")
        #expect(Readable.number(0.0001234) == "0.000123")
        #expect(Readable.share(0.00000123) == "0.000123%")
        #expect(Readable.share(-0.0525) == "-5.25%")
        #expect(Readable.significant(1234.5, digits: 5) == "1,234.5")
        #expect(SVG.coordinate(3) == "3" && SVG.coordinate(-0.001) == "0" && SVG.coordinate(2.5) == "2.5")
        #expect(SVG.coordinate(-7.05) == "-7.05" && SVG.coordinate(0.07) == "0.07")
        let ticks = SVG.ticks(0, 1)
        #expect(ticks.count == 6 && ticks.first == 0 && isClose(ticks.last, 1) && isClose(ticks[1], 0.2))
        #expect(SVG.ticks(0, 47).map { Int($0) } == [0, 10, 20, 30, 40])
        #expect(SVG.tickLabels([159.5e9, 160e9, 160.5e9], format: SVG.compactUSD) == ["159.5 bn", "160.0 bn", "160.5 bn"])
    }
}
