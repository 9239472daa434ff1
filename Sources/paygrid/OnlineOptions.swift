import ArgumentParser
import AsyncHTTPClient
import Configuration
import PayGridChannels
import PayGridHTTP
import PayGridServices
import PayGridStore

/// Where the online payment providers are, for a zone that keeps merchant registrations
/// (`paygrid merchant`): the providers' production addresses unless told otherwise.
struct OnlineOptions: ParsableArguments {
    @Option(help: "Alipay's gateway (default https://openapi.alipay.com/gateway.do; env PAYGRID_ALIPAY_GATEWAY).")
    var alipayGateway: String?
    @Option(help: "WeChat Pay's API (default https://api.mch.weixin.qq.com; env PAYGRID_WECHAT_API).")
    var wechatApi: String?
    @Option(help: ArgumentHelp("How the providers reach this external zone, for their notices "
                               + "(e.g. https://pay.example.com; env PAYGRID_NOTIFY_BASE)."))
    var notifyBase: String?
    @Option(help: ArgumentHelp("The online business hall's SMS outbox: a file its verification codes are written "
                               + "to, a line each, for the SMS gateway (env PAYGRID_SMS_OUTBOX; the hall is served "
                               + "only with one; --demo uses DATA-DIR/sms-outbox.txt)."))
    var smsOutbox: String?

    /// Where the online business hall's codes go: the outbox given, else `standard`.
    func messages(_ reader: ConfigReader, standard: String?) -> (any MessageSender)? {
        (smsOutbox ?? reader.string(forKey: "paygrid.sms.outbox") ?? standard).map(FileMessages.init(path:))
    }

    /// The registrations kept in `store`, with a client for their providers; none when there are none.
    func settings(_ reader: ConfigReader, store: any Store, clock: any WallClock) async throws -> OnlineSettings {
        let merchants = try await OnlineMerchants.load(from: store)
        guard !merchants.isEmpty else { return OnlineSettings() }
        guard let notify = notifyBase ?? reader.string(forKey: "paygrid.notify.base") else {
            throw ValidationError("merchants are registered: --notify-base must say how the providers reach this zone")
        }
        return OnlineSettings(merchants: merchants, providers: clients(reader, merchants, notify: notify, clock: clock))
    }

    /// The providers' clients at the addresses configured; `notify` is where their notices come.
    func clients(_ reader: ConfigReader, _ merchants: OnlineMerchants, notify: String, clock: any WallClock)
        -> ProviderClients {
        let endpoints = ProviderEndpoints(
            alipayGateway: alipayGateway
                ?? reader.string(forKey: "paygrid.alipay.gateway", default: "https://openapi.alipay.com/gateway.do"),
            weChatBase: wechatApi
                ?? reader.string(forKey: "paygrid.wechat.api", default: "https://api.mch.weixin.qq.com"),
            notifyBase: notify)
        return ProviderClients(http: .shared, merchants: merchants, endpoints: endpoints, clock: clock)
    }
}
