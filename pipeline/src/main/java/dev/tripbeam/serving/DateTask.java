package dev.tripbeam.serving;

/**
 * One date of a served table to bring level: load {@code partition} (set; {@code held}: the database holds a version
 * of the date) or, without a partition, remove the date.
 */
record DateTask(ServingTable table, String date, LakePartition partition, boolean held) {}
