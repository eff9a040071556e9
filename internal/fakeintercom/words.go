package fakeintercom

import "strings"

// language is the vocabulary Generate writes a locale's text with.
type language struct {
	code  string
	words []string
	// sep joins words: a space, or nothing for Chinese and Japanese.
	sep string
	// stop ends a sentence.
	stop string
}

func vocabulary(s string) []string { return strings.Fields(s) }

// languages are keyed by the language part of a locale (pt-BR → pt).
var languages = map[string]language{
	"en": {"en", vocabulary(`account settings billing invoice workspace team member admin permission report dashboard
		integration widget message inbox email notification password login security export import data contact
		customer article search filter schedule plan upgrade subscription payment card receipt profile avatar
		language region timezone browser mobile app device sync update install configure enable disable create
		delete share invite assign archive restore review approve connect manage track monitor the your a new
		with for from into when before after every each all quickly easily securely automatically`), " ", "."},
	"fr": {"fr", vocabulary(`compte paramètres facturation facture espace équipe membre administrateur autorisation
		rapport tableau intégration message boîte courriel notification mot passe connexion sécurité exporter
		importer données client article recherche filtre abonnement paiement carte reçu profil langue région
		navigateur mobile appareil synchroniser installer configurer activer désactiver créer supprimer partager
		inviter le la les votre un une avec pour dans quand après chaque tous rapidement facilement`), " ", "."},
	"de": {"de", vocabulary(`Konto Einstellungen Abrechnung Rechnung Arbeitsbereich Team Mitglied Administrator
		Berechtigung Bericht Übersicht Integration Nachricht Posteingang Benachrichtigung Passwort Anmeldung
		Sicherheit exportieren importieren Daten Kunde Artikel Suche Filter Abonnement Zahlung Karte Beleg Profil
		Sprache Region Browser Gerät synchronisieren installieren konfigurieren aktivieren deaktivieren erstellen
		löschen teilen einladen der die das Ihr ein eine mit für aus wenn nach jeder alle schnell einfach`), " ", "."},
	"es": {"es", vocabulary(`cuenta configuración facturación factura espacio equipo miembro administrador permiso
		informe panel integración mensaje bandeja correo notificación contraseña inicio seguridad exportar
		importar datos cliente artículo búsqueda filtro suscripción pago tarjeta recibo perfil idioma región
		navegador móvil dispositivo sincronizar instalar configurar activar desactivar crear eliminar compartir
		invitar el la los su un una con para desde cuando después cada todos rápidamente fácilmente`), " ", "."},
	"it": {"it", vocabulary(`account impostazioni fatturazione fattura spazio squadra membro amministratore permesso
		rapporto pannello integrazione messaggio posta notifica password accesso sicurezza esportare importare
		dati cliente articolo ricerca filtro abbonamento pagamento carta ricevuta profilo lingua regione browser
		dispositivo sincronizzare installare configurare attivare disattivare creare eliminare condividere il la
		gli tuo un una con per da quando dopo ogni tutti rapidamente facilmente`), " ", "."},
	"pt": {"pt", vocabulary(`conta configurações cobrança fatura espaço equipe membro administrador permissão relatório
		painel integração mensagem caixa email notificação senha login segurança exportar importar dados cliente
		artigo pesquisa filtro assinatura pagamento cartão recibo perfil idioma região navegador celular
		dispositivo sincronizar instalar configurar ativar desativar criar excluir compartilhar convidar o a os
		seu um uma com para de quando depois cada todos rapidamente facilmente`), " ", "."},
	"nl": {"nl", vocabulary(`account instellingen facturering factuur werkruimte team lid beheerder toestemming rapport
		dashboard integratie bericht inbox melding wachtwoord inloggen beveiliging exporteren importeren gegevens
		klant artikel zoeken filter abonnement betaling kaart bon profiel taal regio browser apparaat
		synchroniseren installeren configureren inschakelen uitschakelen maken verwijderen delen uitnodigen de het
		uw een met voor uit wanneer na elke alle snel eenvoudig`), " ", "."},
	"sv": {"sv", vocabulary(`konto inställningar fakturering faktura arbetsyta team medlem administratör behörighet
		rapport översikt integration meddelande inkorg avisering lösenord inloggning säkerhet exportera importera
		data kund artikel sökning filter prenumeration betalning kort kvitto profil språk region webbläsare enhet
		synkronisera installera konfigurera aktivera inaktivera skapa radera dela bjuda din en ett med för från
		när efter varje alla snabbt enkelt`), " ", "."},
	"pl": {"pl", vocabulary(`konto ustawienia rozliczenia faktura przestrzeń zespół członek administrator uprawnienie
		raport panel integracja wiadomość skrzynka powiadomienie hasło logowanie bezpieczeństwo eksportować
		importować dane klient artykuł wyszukiwanie filtr subskrypcja płatność karta paragon profil język region
		przeglądarka urządzenie synchronizować instalować konfigurować włączyć wyłączyć utworzyć usunąć udostępnić
		twój z dla od kiedy po każdy wszystkie szybko łatwo`), " ", "."},
	"ru": {"ru", vocabulary(`аккаунт настройки оплата счёт пространство команда участник администратор доступ отчёт
		панель интеграция сообщение почта уведомление пароль вход безопасность экспорт импорт данные клиент статья
		поиск фильтр подписка платёж карта чек профиль язык регион браузер устройство синхронизировать установить
		настроить включить отключить создать удалить поделиться пригласить ваш с для из когда после каждый все
		быстро легко`), " ", "."},
	"tr": {"tr", vocabulary(`hesap ayarlar faturalandırma fatura çalışma ekip üye yönetici izin rapor pano entegrasyon
		mesaj gelen bildirim şifre giriş güvenlik dışa içe veri müşteri makale arama filtre abonelik ödeme kart
		makbuz profil dil bölge tarayıcı cihaz eşitle yükle yapılandır etkinleştir devre oluştur sil paylaş davet
		sizin bir ile için sonra her tüm hızlıca kolayca`), " ", "."},
	"ja": {"ja", vocabulary(`アカウント 設定 請求 請求書 ワークスペース チーム メンバー 管理者 権限 レポート ダッシュボード 連携
		メッセージ 受信箱 メール 通知 パスワード ログイン セキュリティ エクスポート インポート データ 顧客 記事 検索
		フィルター プラン 支払い カード 領収書 プロフィール 言語 地域 ブラウザ モバイル 端末 同期 インストール
		有効化 無効化 作成 削除 共有 招待 を に で と は が の から まで 簡単に すばやく`), "", "。"},
	"zh": {"zh", vocabulary(`账户 设置 账单 发票 工作区 团队 成员 管理员 权限 报告 仪表板 集成 消息 收件箱 邮件 通知 密码 登录
		安全 导出 导入 数据 客户 文章 搜索 筛选 订阅 付款 银行卡 收据 资料 语言 地区 浏览器 手机 设备 同步 安装 配置
		启用 停用 创建 删除 分享 邀请 您的 一个 使用 为 从 当 之后 每个 所有 快速 轻松`), "", "。"},
	"ko": {"ko", vocabulary(`계정 설정 청구 인보이스 워크스페이스 팀 멤버 관리자 권한 보고서 대시보드 통합 메시지 받은편지함
		이메일 알림 비밀번호 로그인 보안 내보내기 가져오기 데이터 고객 문서 검색 필터 구독 결제 카드 영수증 프로필 언어
		지역 브라우저 모바일 기기 동기화 설치 구성 활성화 비활성화 만들기 삭제 공유 초대 귀하의 새 함께 위해 에서 때
		후 모든 빠르게 쉽게`), " ", "."},
	"ar": {"ar", vocabulary(`الحساب الإعدادات الفوترة الفاتورة مساحة الفريق العضو المسؤول الإذن التقرير لوحة التكامل
		الرسالة البريد الإشعار كلمة المرور تسجيل الأمان تصدير استيراد البيانات العميل المقال البحث التصفية الاشتراك
		الدفع البطاقة الإيصال الملف اللغة المنطقة المتصفح الجوال الجهاز مزامنة تثبيت تكوين تفعيل تعطيل إنشاء حذف
		مشاركة دعوة مع من إلى عند بعد كل جميع بسرعة بسهولة`), " ", "."},
	"he": {"he", vocabulary(`חשבון הגדרות חיוב חשבונית סביבת צוות חבר מנהל הרשאה דוח לוח שילוב הודעה תיבת דואר התראה
		סיסמה התחברות אבטחה ייצוא ייבוא נתונים לקוח מאמר חיפוש מסנן מנוי תשלום כרטיס קבלה פרופיל שפה אזור דפדפן
		נייד מכשיר סנכרון התקנה הגדרה הפעלה השבתה יצירה מחיקה שיתוף הזמנה שלך עם עבור מתוך כאשר אחרי כל כולם
		במהירות בקלות`), " ", "."},
}

// languageOf returns the vocabulary of a locale, English for those without
// one.
func languageOf(locale string) language {
	base, _, _ := strings.Cut(locale, "-")
	if l, ok := languages[base]; ok {
		return l
	}
	return languages["en"]
}

// English title parts: Generate composes default-locale English titles from
// them, other languages from their vocabulary.
var (
	titleVerbs = vocabulary(`set-up change cancel export import connect reset update configure invite remove
		find use manage share customize schedule track download upload verify`)
	titleObjects = []string{"your account", "two-factor authentication", "team permissions", "invoices",
		"the mobile app", "custom domains", "email notifications", "your subscription", "SSO with Okta",
		"the Slack integration", "webhooks", "API keys", "data exports", "user roles", "saved reports",
		"billing details", "your workspace", "audit logs", "CSV imports", "the browser extension",
		"payment methods", "tags", "custom fields", "automation rules", "the dashboard"}
	titleForms = []string{"How to %v %o", "%O: frequently asked questions", "Troubleshooting %o",
		"Getting started with %o", "Why can't I %v %o?", "Understanding %o", "%V %o", "What's new in %o",
		"Best practices for %o", "Limits and quotas for %o"}
	collectionNames = []string{"Getting started", "Account & billing", "Security & privacy", "Integrations",
		"Team management", "Reports & analytics", "Mobile apps", "Developers & API", "Troubleshooting",
		"Automation", "Data import & export", "Notifications", "Admin settings", "Release notes", "FAQ",
		"Payments", "Customization", "Compliance", "Workflows", "Onboarding"}
	collectionIcons = vocabulary(`bookmark book-opened chat-bubbles credit-card gear rocket shield lightning
		users puzzle-piece globe lock chart-bar code bell compass lifebuoy star`)
)
