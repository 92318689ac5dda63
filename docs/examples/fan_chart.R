#!/usr/bin/env Rscript
# Cooperation fan chart of an entrench run, in base R (no packages).
#
# Usage: Rscript docs/examples/fan_chart.R RUN_DIR [OUT.png]
#   RUN_DIR is the --out folder of `entrench run` (it holds timeseries.csv
#   and runs.csv); OUT.png defaults to RUN_DIR/cooperation_fan_r.png.
#
# timeseries.csv is tidy: one row per tick and metric, with the mean, sd and
# quantiles over runs. runs.csv has one row per replicate; an empty field is
# a metric undefined in that run (NA here).

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript fan_chart.R RUN_DIR [OUT.png]")
dir <- args[1]
out <- if (length(args) >= 2) args[2] else file.path(dir, "cooperation_fan_r.png")

read <- function(name) {
  path <- file.path(dir, name)
  if (!file.exists(path)) stop(path, " does not exist: is ", dir, " the folder of an entrench run?")
  read.csv(path, stringsAsFactors = FALSE)
}
ts <- read("timeseries.csv")
runs <- read("runs.csv")

coop <- ts[ts$metric == "cooperation", ]
if (nrow(coop) == 0) stop("timeseries.csv has no cooperation rows")
coop <- coop[order(coop$tick), ]
# Dates are YYYY-MM; place each month at year + (month - 1) / 12.
year <- as.numeric(substr(coop$date, 1, 4)) + (as.numeric(substr(coop$date, 6, 7)) - 1) / 12

# The mean final cooperation over runs with its 95% t interval.
fc <- runs$final_cooperation[!is.na(runs$final_cooperation)]
n <- length(fc)
half <- if (n > 1) qt(0.975, n - 1) * sd(fc) / sqrt(n) else NA

png(out, width = 1200, height = 675, res = 150)
par(mar = c(4, 4, 3, 1))
plot(range(year), c(0, max(coop$q95, fc, na.rm = TRUE)), type = "n",
     xlab = "year", ylab = "cooperation level (0-1)",
     main = sprintf("Cooperation, %d runs: median, 50%% and 90%% bands", n))
polygon(c(year, rev(year)), c(coop$q05, rev(coop$q95)), col = "#c6dbef", border = NA)
polygon(c(year, rev(year)), c(coop$q25, rev(coop$q75)), col = "#6baed6", border = NA)
lines(year, coop$q50, lwd = 2, col = "#08306b")
# The final mean with its interval, at the last month.
x <- max(year)
points(x, mean(fc), pch = 19)
if (!is.na(half)) arrows(x, mean(fc) - half, x, mean(fc) + half, angle = 90, code = 3, length = 0.04)
legend("topleft", bty = "n",
       legend = c("median", "middle 50% of runs", "middle 90% of runs", "mean final value, 95% interval"),
       col = c("#08306b", "#6baed6", "#c6dbef", "black"), lwd = c(2, 8, 8, NA), pch = c(NA, NA, NA, 19))
invisible(dev.off())
cat(sprintf("%s: %d ticks, %d runs, final cooperation %.3f [%.3f, %.3f]\n",
            out, nrow(coop), n, mean(fc), mean(fc) - half, mean(fc) + half))
