# The values of R's irr 0.84.1 and R irrCAC 1.0 (Gwet) that tests/agreement.rs compares with
# thema's, printed as `name value` lines at full precision.
# Usage: Rscript agreement.R PEERS_DIR diagnoses.csv k2011.csv ordinal.csv shrout_fleiss.csv
# Both packages are sourced unmodified from PEERS_DIR/irr/R and PEERS_DIR/irrCAC/R, each into its
# own environment, in which `round` is the identity: irrCAC rounds the values it returns to 5
# digits (its README prints them so), irr the per-category kappas to 3; nothing else calls it.
args <- commandArgs(TRUE)
peers <- args[1]
load_peer <- function(name) {
  env <- new.env()
  env$round <- function(x, digits = 0) x
  for (f in list.files(file.path(peers, name, "R"), "\\.[rR]$", full.names = TRUE)) sys.source(f, envir = env)
  env
}
irr <- load_peer("irr")
cac <- load_peer("irrCAC")
out <- function(name, x) cat(name, format(x, digits = 17), "\n")
ci <- function(est) { s <- strsplit(gsub("[() ]", "", if (is.null(est$conf.int)) est$coeff.ci else est$conf.int), ",")[[1]]; if (length(s) != 2) stop(paste("conf.int", est$conf.int, est$coeff.name)); as.numeric(s) }
est <- function(name, e) {
  out(name, e$coeff.val); out(paste0(name, "_se"), e$coeff.se)
  b <- ci(e); out(paste0(name, "_low"), b[1]); out(paste0(name, "_high"), b[2])
}
d <- read.csv(args[2]); k <- read.csv(args[3]); ord <- read.csv(args[4]); sf <- read.csv(args[5])
# irr
out("irr_fleiss_d", irr$kappam.fleiss(d)$value)
out("irr_conger_d", irr$kappam.fleiss(d, exact = TRUE)$value)
det <- irr$kappam.fleiss(d, detail = TRUE)$detail
for (c in rownames(det)) out(paste0("irr_fleiss_d_cat_", c), det[c, "Kappa"])
out("irr_light_d", irr$kappam.light(d)$value)
out("irr_agree_d", irr$agree(d)$value)
out("irr_agree_ord", irr$agree(ord)$value)
for (w in c("unweighted", "equal", "squared")) {
  r <- irr$kappa2(ord[, 1:2], w)
  out(paste0("irr_kappa2_", w), r$value); out(paste0("irr_kappa2_se_", w), r$value / r$statistic)
}
user <- irr$kappa2(ord[, 1:2], c(0, 1, 3, 6, 10))
out("irr_kappa2_user", user$value)
for (model in c("oneway", "twoway")) for (type in c("consistency", "agreement")) for (unit in c("single", "average")) {
  if (model == "oneway" && type == "agreement") next
  r <- irr$icc(sf, model, type, unit)
  n <- paste("irr_icc", model, type, unit, sep = "_")
  out(n, r$value); out(paste0(n, "_low"), r$lbound); out(paste0(n, "_high"), r$ubound)
}
for (correct in c(TRUE, FALSE)) {
  out(paste0("irr_kendall_sf_", correct), irr$kendall(sf, correct)$value)
  out(paste0("irr_kendall_ord_", correct), irr$kendall(ord, correct)$value)
}
for (m in c("nominal", "ordinal", "interval", "ratio")) {
  out(paste0("irr_alpha_k_", m), irr$kripp.alpha(t(as.matrix(k)), m)$value)
  out(paste0("irr_alpha_ord_", m), irr$kripp.alpha(t(as.matrix(ord)), m)$value)
}
binary <- function(x, c) { y <- 1 * (as.matrix(x) == c); y }
for (c in 1:5) {
  out(paste0("irr_alpha_k_cat_", c), irr$kripp.alpha(t(binary(k, c)), "nominal")$value)
  out(paste0("irr_alpha_d_cat_", c), irr$kripp.alpha(t(binary(d, c)), "nominal")$value)
  out(paste0("cac_alpha_k_cat_", c), cac$krippen.alpha.raw(as.data.frame(binary(k, c)))$est$coeff.val)
  out(paste0("cac_alpha_d_cat_", c), cac$krippen.alpha.raw(as.data.frame(binary(d, c)))$est$coeff.val)
}
# irrCAC, raw data
for (data in c("d", "k", "ord")) {
  x <- get(data)
  ws <- if (data == "d") "unweighted" else c("unweighted", "linear", "quadratic", "ordinal")
  for (w in ws) for (declared in c(FALSE, TRUE)) {
    if (declared && data == "d") next
    labels <- if (declared) 1:6 else NULL
    n <- paste0("cac_", data, "_", w, if (declared) "_declared" else "")
    est(paste0(n, "_ac"), cac$gwet.ac1.raw(x, w, labels)$est)
    est(paste0(n, "_fleiss"), cac$fleiss.kappa.raw(x, w, labels)$est)
    est(paste0(n, "_bp"), cac$bp.coeff.raw(x, w, labels)$est)
    est(paste0(n, "_conger"), cac$conger.kappa.raw(x, w, labels)$est)
    est(paste0(n, "_alpha"), cac$krippen.alpha.raw(x, w, labels)$est)
    out(paste0(n, "_pa"), cac$pa.coeff.raw(x, w, labels)$est$pa)
  }
}
pairs <- combn(ncol(d), 2)
out("cac_hubert_d", mean(apply(pairs, 2, function(p) cac$fleiss.kappa.raw(d[, p])$est$coeff.val)))
# irrCAC, contingency tables
abstractors <- matrix(c(13, 0, 0, 0, 20, 7, 0, 4, 56), 3, byrow = TRUE)
ordtab <- table(factor(ord$A, levels = 1:5), factor(ord$B, levels = 1:5))
for (tn in c("abstractors", "ordtab")) {
  t <- get(tn)
  ws <- if (tn == "ordtab") list(unweighted = cac$identity.weights(1:5), linear = cac$linear.weights(1:5), quadratic = cac$quadratic.weights(1:5)) else list(unweighted = cac$identity.weights(1:3))
  for (w in names(ws)) {
    n <- paste0("cac_", tn, "_", w)
    est(paste0(n, "_scott"), cac$scott2.table(t, ws[[w]])) 
    est(paste0(n, "_cohen"), cac$kappa2.table(t, ws[[w]]))
    est(paste0(n, "_bp"), cac$bp2.table(t, ws[[w]]))
    est(paste0(n, "_ac"), cac$gwet.ac1.table(t, ws[[w]]))
    est(paste0(n, "_alpha"), cac$krippen2.table(t, ws[[w]]))
    est(paste0(n, "_pa"), cac$pa2.table(t, ws[[w]]))
  }
}
