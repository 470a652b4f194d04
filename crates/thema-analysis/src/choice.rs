//! Choices a front end offers by name (`--metric alpha`, `--unit turn`, `--coefficient dice`):
//! each an enum that knows its names, defined once by [`choices!`]. With the `clap` feature each
//! also implements `clap::ValueEnum`, so a command line takes the enum itself, as uv does with its
//! export formats; the possible values carry no help of their own, the option's help lists them.

/// Define an enum of named choices: `NAME` and `from_name`, the list of every choice in order
/// (`ALL`), and `clap::ValueEnum` behind the `clap` feature.
macro_rules! choices {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every choice, in the order they are offered.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name a user types.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The choice of this name, if any.
            pub fn from_name(name: &str) -> Option<$name> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        #[cfg(feature = "clap")]
        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                Self::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.name()))
            }
        }
    };
}

pub(crate) use choices;
