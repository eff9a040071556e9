package search

import (
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

// miniSite is a small hand-written help center in en, fr, de, ja and ar
// whose articles differ in known words, for precise expectations.
func miniSite() *content.Site {
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	tr := func(title, description, body string) content.Translation {
		return content.Translation{Title: title, Description: description, Body: body, State: content.Published, UpdatedAt: t0}
	}
	site := &content.Site{
		Collections: []content.Collection{
			{ID: "10", Translations: map[string]content.GroupText{"en": {Name: "Account"}, "fr": {Name: "Compte"}, "de": {Name: "Konto"}, "ja": {Name: "アカウント"}, "ar": {Name: "الحساب"}}},
			{ID: "11", ParentID: "10", Translations: map[string]content.GroupText{"en": {Name: "Security"}, "fr": {Name: "Sécurité"}, "de": {Name: "Sicherheit"}, "ja": {Name: "セキュリティ"}, "ar": {Name: "الأمان"}}},
			{ID: "20", Translations: map[string]content.GroupText{"en": {Name: "Billing"}, "fr": {Name: "Facturation"}, "de": {Name: "Abrechnung"}, "ja": {Name: "請求"}, "ar": {Name: "الفواتير"}}},
		},
		Articles: []content.Article{
			{ID: "1", ParentIDs: []string{"11"}, Translations: map[string]content.Translation{
				"en": tr("Reset your password", "Get back into your account.",
					`<p class="no-margin">Forgot your password? Open the sign-in page and choose <b>Forgot password</b>.</p><h2 id="h_1">Check your email</h2><p>We send a link that expires after one hour.</p>`),
				"fr": tr("Réinitialiser votre mot de passe", "Retrouvez l'accès à votre compte.",
					`<p>Vous avez oublié votre mot de passe ? Ouvrez la page de connexion et choisissez <b>Mot de passe oublié</b>.</p><h2 id="h_1">Vérifiez votre messagerie</h2><p>Le lien expire après une heure.</p>`),
				"de": tr("Passwort zurücksetzen", "Wieder Zugriff auf Ihr Konto erhalten.",
					`<p>Passwort vergessen? Öffnen Sie die Anmeldeseite und wählen Sie <b>Passwort vergessen</b>.</p><h2>Prüfen Sie Ihre E-Mails</h2><p>Der Link läuft nach einer Stunde ab.</p>`),
				"ja": tr("パスワードを再設定する", "アカウントに再びアクセスする方法。",
					`<p>パスワードを忘れた場合は、サインインページで「パスワードをお忘れですか」を選択してください。</p><h2>メールを確認する</h2><p>リンクの有効期限は一時間です。</p>`),
				"ar": tr("إعادة تعيين كلمة المرور", "استعد الوصول إلى حسابك.",
					`<p>هل نسيت كلمة المرور؟ افتح صفحة تسجيل الدخول واختر <b>نسيت كلمة المرور</b>.</p><h2>تحقق من بريدك</h2><p>تنتهي صلاحية الرابط بعد ساعة.</p>`),
			}},
			{ID: "2", ParentIDs: []string{"11"}, Translations: map[string]content.Translation{
				"en": tr("Set up two-factor authentication", "Protect your account with a second step.",
					`<p>Two-factor authentication asks for a code from your phone when you sign in.</p><h2>Authenticator apps</h2><p>Scan the QR code with an authenticator app &amp; enter the six-digit code.</p>`),
				"fr": tr("Paramètres de sécurité et authentification à deux facteurs", "Protégez votre compte.",
					`<p>L'authentification à deux facteurs demande un code envoyé sur votre téléphone.</p><h2>Applications d'authentification</h2><p>Scannez le code QR.</p>`),
				"de": tr("Zwei-Faktor-Authentifizierung einrichten", "Schützen Sie Ihr Konto.",
					`<p>Bei der Anmeldung fragt die Zwei-Faktor-Authentifizierung nach einem Code von Ihrem Telefon.</p>`),
				"ja": tr("二段階認証を設定する", "二つ目の手順でアカウントを保護します。",
					`<p>サインインするときに、電話に届いたコードを入力します。</p><h2>認証アプリ</h2><p>QRコードを認証アプリで読み取ります。</p>`),
				"ar": tr("إعداد المصادقة الثنائية", "احم حسابك بخطوة ثانية.",
					`<p>تطلب المصادقة الثنائية رمزًا من هاتفك عند تسجيل الدخول.</p>`),
			}},
			{ID: "3", ParentIDs: []string{"20"}, Translations: map[string]content.Translation{
				"en": tr("Download invoices as PDF", "Every invoice of your subscription.",
					`<p>Open <i>Billing</i> and select the invoices to download. Each invoice lists the taxes paid.</p><pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>`),
				"fr": tr("Télécharger les factures en PDF", "Toutes les factures de votre abonnement.",
					`<p>Ouvrez <i>Facturation</i> et sélectionnez les factures à télécharger.</p>`),
				"de": tr("Größe der Rechnungen ändern", "Rechnungen als PDF herunterladen.",
					`<p>Öffnen Sie die Abrechnung und wählen Sie die Rechnungen aus. Die Größe lässt sich ändern.</p>`),
				"ja": tr("請求書をPDFでダウンロードする", "サブスクリプションのすべての請求書。",
					`<p>請求の画面を開き、ダウンロードする請求書を選択します。</p>`),
				"ar": tr("تنزيل الفواتير بصيغة PDF", "جميع فواتير اشتراكك.",
					`<p>افتح صفحة الفواتير واختر الفواتير التي تريد تنزيلها.</p>`),
			}},
			{ID: "4", ParentIDs: []string{"20"}, Translations: map[string]content.Translation{
				"en": {Title: "Upcoming pricing changes", Body: "<p>Our confidential roadmap mentions zeppelinfare.</p>", State: content.Draft},
				"fr": tr("Changer de formule", "Passer à une autre formule.", `<p>Choisissez une formule dans la page d'abonnement.</p>`),
			}},
		},
	}
	site.Sort()
	return site
}
