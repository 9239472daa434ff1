import PayGridCore
import PayGridStore

/// Prepaid meters and sales in memory, with the checks the databases' constraints make.
extension MemoryAccess {
    func prepaidMeter(_ meterNumber: String) throws -> PrepaidMeter? { state.prepaidMeters[meterNumber] }

    func prepaidMeter(card: String) throws -> PrepaidMeter? {
        state.prepaidMeters.values.first { $0.cardNumber == card }
    }

    func prepaidMeters(of account: AccountNumber) throws -> [PrepaidMeter] {
        state.prepaidMeters.values.filter { $0.accountNumber == account }.sorted { $0.meterNumber < $1.meterNumber }
    }

    func prepaidSale(_ id: PaymentID) throws -> PrepaidSale? { state.prepaidSales[id] }

    func prepaidSales(meter: String, limit: Int) throws -> [PrepaidSale] {
        Array(state.prepaidSales.values.filter { $0.meterNumber == meter }
            .sorted { $0.tokenIdentifier > $1.tokenIdentifier }.prefix(limit))
    }

    func prepaidPaidIn() throws -> [AccountNumber: Money] {
        state.prepaidSales.values.filter { $0.state == .issued }
            .reduce(into: [:]) { $0[$1.accountNumber, default: .zero] += $1.paidToMeter }
    }

    func prepaidMeterDrift() throws -> [String] {
        state.prepaidMeters.values.filter { meter in
            let sales = state.prepaidSales.values.filter { $0.meterNumber == meter.meterNumber }
            let left = sales.filter { $0.state == .issued }.map { $0.balanceAfter - $0.balanceBefore }.sum()
            return meter.balance != left || sales.contains { $0.tokenIdentifier > meter.lastTokenIdentifier }
        }.map(\.meterNumber).sorted()
    }

    func insertPrepaidMeter(_ meter: PrepaidMeter) throws {
        guard state.meters[meter.meterNumber] != nil, state.customers[meter.accountNumber] != nil else {
            throw StoreError.missing("meter \(meter.meterNumber) of \(meter.accountNumber)")
        }
        guard state.prepaidMeters[meter.meterNumber] == nil,
              !state.prepaidMeters.values.contains(where: {
                  $0.pan == meter.pan || meter.cardNumber != nil && $0.cardNumber == meter.cardNumber
              })
        else { throw StoreError.duplicate("prepaid meter \(meter.meterNumber)") }
        state.prepaidMeters[meter.meterNumber] = meter
    }

    func updatePrepaidMeter(_ meter: PrepaidMeter) throws {
        guard var held = state.prepaidMeters[meter.meterNumber] else {
            throw StoreError.missing("prepaid meter \(meter.meterNumber)")
        }
        if let card = meter.cardNumber,
           state.prepaidMeters.values.contains(where: {
               $0.cardNumber == card && $0.meterNumber != meter.meterNumber
           }) {
            throw StoreError.duplicate("card \(card)")
        }
        held.balance = meter.balance
        held.usage = meter.usage
        held.lastTokenIdentifier = meter.lastTokenIdentifier
        held.cardNumber = meter.cardNumber
        state.prepaidMeters[meter.meterNumber] = held
    }

    func insertPrepaidSale(_ sale: PrepaidSale) throws {
        guard state.payments[sale.paymentID] != nil else { throw StoreError.missing("payment \(sale.paymentID)") }
        guard state.prepaidMeters[sale.meterNumber] != nil else {
            throw StoreError.missing("meter \(sale.meterNumber)")
        }
        guard state.prepaidSales[sale.paymentID] == nil, !state.prepaidSales.values.contains(where: {
            $0.meterNumber == sale.meterNumber && $0.tokenIdentifier == sale.tokenIdentifier
        }) else { throw StoreError.duplicate("sale \(sale.paymentID)") }
        state.prepaidSales[sale.paymentID] = sale
    }

    func updatePrepaidSale(_ sale: PrepaidSale) throws {
        guard var held = state.prepaidSales[sale.paymentID] else { throw StoreError.missing("sale \(sale.paymentID)") }
        held.state = sale.state
        held.reversalID = sale.reversalID
        state.prepaidSales[sale.paymentID] = held
    }
}

/// The tariff's versions in memory, unique by version and effective day as the databases' keys.
extension MemoryAccess {
    func tariffVersions() throws -> [TariffVersion] {
        state.tariffVersions.sorted { $0.effectiveFrom < $1.effectiveFrom }
    }

    func insertTariffVersion(_ version: TariffVersion) throws {
        guard !state.tariffVersions.contains(where: {
            $0.version == version.version || $0.effectiveFrom == version.effectiveFrom
        }) else { throw StoreError.duplicate("tariff version \(version.version)") }
        state.tariffVersions.append(version)
    }
}
