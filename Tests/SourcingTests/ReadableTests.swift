import Sourcing
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
