import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// The demo's customers and bills: generated from their number, so the same size gives the same data.
extension DemoUtility {
    static func account(_ n: Int) -> String { String(format: "31%08d", n) }

    static func category(_ n: Int) -> CustomerCategory {
        switch n % 20 {
        case 0..<14: .residential
        case 14..<17: .commercial
        case 17..<19: .industrial
        default: .agricultural
        }
    }

    /// The holder's name of demo customer `n` (on its bills, and what the online business hall asks).
    static func holder(_ n: Int) -> String {
        let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
        let given = [
            "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军",
            "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞",
        ]
        let shops = ["超市", "餐馆", "五金店", "药房", "理发店"]
        let firms = ["华东", "新星", "恒达", "宏远", "金泰"]
        let works = ["机械厂", "纺织厂", "化工有限公司", "食品厂"]
        let surname = surnames[n % surnames.count]
        return switch category(n) {
        case .residential: "\(surname)\(given[(n / 20) % given.count])"
        case .commercial: "\(surname)记\(shops[(n / 20) % shops.count])"
        case .industrial: "\(firms[(n / 20) % firms.count])\(works[(n / 100) % works.count])"
        case .agricultural: "\(surname)家村灌溉站"
        }
    }

    func customerCSV() -> String {
        let districts = ["江南区", "城北区", "高新区", "滨江区"]
        let roads = ["人民路", "解放路", "建设路", "和平路", "中山路"]
        var csv = Imports.customerHeader.joined(separator: ",") + "\n"
        for n in 1...customers {
            let category = Self.category(n), name = Self.holder(n)
            let mode: BillingMode = category == .residential && n % 10 == 7 ? .prepaid : .postpaid
            let address = "\(districts[n % districts.count])\(roads[(n / 4) % roads.count])\(n % 300 + 1)号"
            let meter = String(format: "M%010d", n)
            csv += "\(Self.account(n)),\(name),\(address),\(category.rawValue),\(mode.rawValue),\(meter)\n"
        }
        return csv
    }

    /// Last month's bill for everyone (due at the end of this month); a third also owe the month
    /// before (overdue), a fifth the month before that too.
    func billCSV(today: Day) -> (String, Int) {
        let current = Period(year: today.year, month: today.components.month)!
        var csv = Imports.billHeader.joined(separator: ",") + "\n"
        var count = 0
        for n in 1...customers {
            let months = n % 10 == 1 || n % 10 == 2 ? 3 : (3...5).contains(n % 10) ? 2 : 1
            for back in 1...months {
                let period = current.advanced(by: -back)
                let dueMonth = period.advanced(by: 1)
                let due = Day(year: dueMonth.year, month: dueMonth.month, day: 1)!.advancedToMonthEnd
                csv += "\(Self.account(n)),\(period),\(Self.amount(n, back: back).yuanString),\(due)\n"
                count += 1
            }
        }
        return (csv, count)
    }

    static func amount(_ n: Int, back: Int) -> Money {
        let seed = Int64((n &* 2_654_435_761 &+ back &* 40_503) % 1_000_003)
        let (low, spread): (Int64, Int64) = switch category(n) {
        case .residential: (5_000, 35_000)
        case .commercial: (50_000, 450_000)
        case .industrial: (500_000, 4_500_000)
        case .agricultural: (10_000, 70_000)
        }
        return Money(fen: low + seed % spread)
    }
}

extension Day {
    /// The last day of this day's month.
    var advancedToMonthEnd: Day {
        let (y, m, _) = components
        let next = m == 12 ? Day(year: y + 1, month: 1, day: 1)! : Day(year: y, month: m + 1, day: 1)!
        return next - 1
    }
}
