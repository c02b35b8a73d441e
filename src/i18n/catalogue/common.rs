//! Texts for what every page shares: header, user menu, dialogs, forms, loading and errors,
//! toasts, the language switch.
crate::catalogue! {
    pub enum Common;
    en {
        AppName = "Account Console",
        // The document title: the page, then the console
        PageTitle = "{page} · Account Console",
        // Header and navigation
        PrimaryNav = "Primary",
        Applications = "Applications",
        Preferences = "Preferences",
        // Account menu: the visible text is the username; the name says what the button opens
        AccountMenuOf = "{name}, account menu",
        AccountMenu = "Account menu",
        AccountFallback = "Account",
        LogOut = "Log out",
        // Language switch
        Language = "Language",
        // Theme toggle
        DarkTheme = "Dark theme",
        // Forms and dialogs
        Cancel = "Cancel",
        Close = "Close",
        Dismiss = "Dismiss",
        Password = "Password",
        Retry = "Retry",
        // Copy buttons
        Copy = "Copy",
        Copied = "Copied",
        CopyFailed = "Copy failed — select the text and copy it manually",
        // Confirming the password for a sensitive action
        ConfirmTitle = "Confirm your password",
        ConfirmWhy = "For your security, please enter your password again. You won't be asked again for 20 minutes.",
        Confirm = "Confirm",
        Confirming = "Confirming…",
        WrongPassword = "Wrong password.",
        FreshWindowOne = "Password confirmed — {n} minute left",
        FreshWindowOther = "Password confirmed — {n} minutes left",
        // The page for an unknown address
        PageNotFound = "Page not found",
        NothingHere = "There is nothing at this address.",
        GoToStart = "Go to the start page",
    }
    de {
        AppName = "Kontokonsole",
        PageTitle = "{page} · Kontokonsole",
        PrimaryNav = "Hauptnavigation",
        Applications = "Anwendungen",
        Preferences = "Einstellungen",
        AccountMenuOf = "{name}, Kontomenü",
        AccountMenu = "Kontomenü",
        AccountFallback = "Konto",
        LogOut = "Abmelden",
        Language = "Sprache",
        DarkTheme = "Dunkles Design",
        Cancel = "Abbrechen",
        Close = "Schließen",
        Dismiss = "Ausblenden",
        Password = "Passwort",
        Retry = "Erneut versuchen",
        Copy = "Kopieren",
        Copied = "Kopiert",
        CopyFailed = "Kopieren fehlgeschlagen – markieren Sie den Text und kopieren Sie ihn selbst",
        ConfirmTitle = "Passwort bestätigen",
        ConfirmWhy = "Bitte geben Sie zu Ihrer Sicherheit Ihr Passwort erneut ein. In den nächsten 20 Minuten werden Sie nicht erneut gefragt.",
        Confirm = "Bestätigen",
        Confirming = "Wird bestätigt…",
        WrongPassword = "Falsches Passwort.",
        FreshWindowOne = "Passwort bestätigt – noch {n} Minute",
        FreshWindowOther = "Passwort bestätigt – noch {n} Minuten",
        PageNotFound = "Seite nicht gefunden",
        NothingHere = "Unter dieser Adresse gibt es nichts.",
        GoToStart = "Zur Startseite",
    }
}
