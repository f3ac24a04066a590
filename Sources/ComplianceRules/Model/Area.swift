/// The legal area a rule belongs to. Every finding belongs to exactly one.
public enum Area: String, Sendable, Codable, CaseIterable {
  /// 营业执照 / 统一社会信用代码 shown and valid (电子商务法 art 15, GB 32100).
  case license
  /// SC / JY numbers on food (食品安全法 art 35).
  case foodLicense = "food_license"
  /// 保健食品 approval numbers, the warning text, and no cure claims (食品安全法 art 71, 78; 广告法 art 17, 18).
  case healthFood = "health_food"
  /// 跨境电商零售进口: 中文电子标签 and 风险告知 (商财发〔2018〕486号).
  case crossBorder = "cross_border"
  /// 七日无理由退货 (消保法 art 25) and refusal clauses.
  case returns
  /// Rewards for sharing or following (微信小程序平台运营规范 §5.1).
  case inducedSharing = "induced_sharing"
  /// 明码标价和禁止价格欺诈规定, 规范促销行为暂行规定.
  case pricing
  /// 广告法 art 9 absolutes and art 28 false claims.
  case advertising
  /// 药品 and 医疗器械: approval and registration numbers, prescription drugs, medical ads (药品管理法, 广告法 art 15–16).
  case medical
  /// 直播带货: the streamer named, no prescription drugs in a live room (网络直播营销管理办法（试行）).
  case livestream
}
