"""Thông báo cho người nộp hồ sơ qua e-mail, SMS (eSMS) và Zalo (ZNS): templates, adapters with local fakes, deliveries."""
