import ArgumentParser
import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices

extension TerminalCommand {
    /// The keyboard-driven screen: a numbered menu, each action asking for what it needs. A refusal
    /// is shown with its code and the menu comes back; end of input (Ctrl-D) leaves.
    struct Screen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The collector's screen (the default).")
        @OptionGroup var options: TerminalOptions

        static let menu = """
            [1] 查户 find        [2] 收费 pay          [3] 冲正 reverse     [4] 作废发票 void form
            [5] 重开发票 reprint  [6] 重打收据 receipt  [7] 日统计 stats     [8] 同步 sync
            [9] 下载工作单 download                     [10] 日终 day end    [0] 退出 quit
            """

        func run() async throws {
            let session = try options.open()
            while true {
                print("\n" + session.header + "\n" + Self.menu)
                guard let choice = ask(">") else { return }
                if choice == "0" { return }
                do {
                    if let text = try await act(choice, session) { print(text) }
                } catch let refusal as any BusinessRejection {
                    print("✗ \(refusal.code): \(refusal.message)")
                } catch {
                    print("✗ \(error)")
                }
            }
        }

        /// One action; nil when the choice is unknown or its input ended.
        func act(_ choice: String, _ session: TerminalSession) async throws -> String? {
            switch choice {
            case "1": return try ask("户号或户名 account or name:").map(session.find)
            case "2":
                guard let account = ask("户号 account:") else { return nil }
                print(try session.owing(account))
                guard let method = ask("现金 cash [1] / 银行卡 card [2]:") else { return nil }
                guard method == "1" || method == "2" else { return "✗ choose 1 (cash) or 2 (card)" }
                guard let amount = ask("金额 amount:") else { return nil }
                var tender = TenderInput(method: method == "2" ? "card" : "cash", amount: amount)
                if method == "2" {
                    tender.maskedPAN = ask("卡号(掩码) masked card number:")
                    tender.approvalCode = ask("授权码 approval:")
                    tender.terminalID = ask("POS 终端 POS id:")
                    tender.reference = ask("参考号 reference:")
                } else if let given = ask("实收 tendered (Enter: the amount):"), !given.isEmpty {
                    tender.tendered = given
                }
                let invoice = ask("开发票 invoice? [y/N]:")?.lowercased() == "y"
                guard ask("确认收费 confirm ¥\(amount) from \(account)? [y/N]:")?.lowercased() == "y" else {
                    return "not taken"
                }
                return try session.pay(account, tender: tender, invoice: invoice)
            case "3":
                guard let line = ask("流水号 line:").flatMap({ Int64($0) }),
                      let reason = ask("原因 reason:")
                else { return nil }
                return try session.reverse(line, reason: reason)
            case "4":
                guard let form = ask("发票 form (e.g. 4400-00000002):"),
                      let reason = ask("原因 spoiled / wrong_details / misaligned:") else { return nil }
                return try session.voidForm(form, reason: reason)
            case "5": return try ask("流水号 line:").flatMap { Int64($0) }.map(session.reprint)
            case "6": return try ask("流水号 line:").flatMap { Int64($0) }.map(session.receiptCopy)
            case "7": return try session.statistics()
            case "8": return try await session.sync(piece: CollectorLimits.linesPerUploadMax).text
            case "9": return try await session.download()
            case "10":
                print(try session.dayEndFigures())
                guard let count = ask("点钞 count (100=3,20=1,…):"),
                      let slips = ask("刷卡单合计 card slips total:") else { return nil }
                guard ask("确认日终 end the day? It cannot be undone. [y/N]:")?.lowercased() == "y" else {
                    return "day not ended"
                }
                return try await session.dayEnd(count: count, cardSlips: slips.isEmpty ? "0.00" : slips)
            default: return "✗ unknown choice \"\(choice)\": type a number from the menu"
            }
        }

        func ask(_ prompt: String) -> String? {
            print(prompt, terminator: " ")
            fflush(nil)
            return readLine()?.trimmingCharacters(in: .whitespaces)
        }
    }
}
