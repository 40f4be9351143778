//! How every text of the product is worded: one table per kind of text (the widget's, the
//! e-mails', the organiser's list), each text in Danish and English side by side, as methods
//! of [`crate::Lang`]. The widget, the organiser page and the server all declare their tables
//! with these two macros, so a text is found, translated and tested the same way everywhere.

/// Fixed texts as methods of [`crate::Lang`]: `lang.retry()`, or `Lang::retry` where a
/// `fn(Lang) -> &'static str` is wanted.
///
/// ```
/// tilmelding_domain::texts! {
///     /// Example texts.
///     trait Example;
///     retry: "Prøv igen", "Try again";
/// }
/// use tilmelding_domain::Lang;
/// assert_eq!(Lang::En.retry(), "Try again");
/// assert_eq!(ALL.len(), 1);
/// ```
///
/// Besides the trait it declares `ALL`, every text's name and function, so a test can walk them
/// all in every language (it costs nothing where nothing reads it); so one table a module.
#[macro_export]
macro_rules! texts {
    ($(#[$doc:meta])* trait $trait:ident; $($name:ident: $da:literal, $en:literal;)*) => {
        $(#[$doc])*
        pub trait $trait {
            $(
                #[doc = $da]
                fn $name(self) -> &'static str;
            )*
        }
        impl $trait for $crate::Lang {
            $(
                fn $name(self) -> &'static str {
                    match self {
                        $crate::Lang::Da => $da,
                        $crate::Lang::En => $en,
                    }
                }
            )*
        }
        #[allow(dead_code)]
        #[doc = concat!("Every text of [`", stringify!($trait), "`], by name.")]
        pub const ALL: &[(&str, fn($crate::Lang) -> &'static str)] = &[
            $((stringify!($name), <$crate::Lang as $trait>::$name),)*
        ];
    };
}

/// Texts with values in them, as methods of [`crate::Lang`], declared once: each is an ordinary
/// function body that matches on the language.
#[macro_export]
macro_rules! phrases {
    ($(#[$doc:meta])* trait $trait:ident;
     $($(#[$fdoc:meta])* fn $name:ident($self:ident $(, $arg:ident: $ty:ty)*) -> $ret:ty $body:block)*) => {
        $(#[$doc])*
        pub trait $trait {
            $($(#[$fdoc])* fn $name(self $(, $arg: $ty)*) -> $ret;)*
        }
        impl $trait for $crate::Lang {
            $(fn $name($self $(, $arg: $ty)*) -> $ret $body)*
        }
    };
}
