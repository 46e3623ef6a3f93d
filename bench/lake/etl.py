"""The PySpark baseline of bench/lake.ts: the lake job written the way the course's "Data Lake" project solutions
write etl.py (create_spark_session, process_song_data, process_log_data; an explicit schema on read, DataFrame
transforms, built-in functions for the time columns, write.partitionBy(...).mode('overwrite').parquet(...)).

It builds the same five tables as `sparkify lake build` with the same keys, so their row counts agree: songs one per
song_id, artists one per artist_id, users one per user_id among the plays, time one per distinct play timestamp,
songplays one per (sessionId, itemInSession, userId) with the song matched on title + artist name + duration (a left
join, as our job keeps plays without a match). Like the course's solutions it does not choose which duplicate wins
(dropDuplicates keeps any one), so only the row counts, not the contents, are comparable.

    spark-submit --master local[2] etl.py INPUT OUTPUT COUNTS_JSON
INPUT and OUTPUT are s3a:// URLs (the endpoint and keys come from spark-defaults / the environment, never the
command line); COUNTS_JSON is a local file the row counts of the five tables are written to (read back from the
Parquet written, after the job's clock stops; the bench takes the time they took off spark-submit's).
"""
import json
import sys
import time

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (DoubleType, IntegerType, LongType, StringType, StructField, StructType)

song_schema = StructType([
    StructField('num_songs', LongType()),
    StructField('artist_id', StringType()),
    StructField('artist_latitude', DoubleType()),
    StructField('artist_longitude', DoubleType()),
    StructField('artist_location', StringType()),
    StructField('artist_name', StringType()),
    StructField('song_id', StringType()),
    StructField('title', StringType()),
    StructField('duration', DoubleType()),
    StructField('year', IntegerType()),
])

log_schema = StructType([
    StructField('artist', StringType()),
    StructField('auth', StringType()),
    StructField('firstName', StringType()),
    StructField('gender', StringType()),
    StructField('itemInSession', IntegerType()),
    StructField('lastName', StringType()),
    StructField('length', DoubleType()),
    StructField('level', StringType()),
    StructField('location', StringType()),
    StructField('method', StringType()),
    StructField('page', StringType()),
    StructField('registration', DoubleType()),
    StructField('sessionId', IntegerType()),
    StructField('song', StringType()),
    StructField('status', LongType()),
    StructField('ts', LongType()),
    StructField('userAgent', StringType()),
    StructField('userId', StringType()),
])


def create_spark_session():
    return SparkSession.builder.appName('sparkify-etl-baseline').getOrCreate()


def process_song_data(spark, input_data, output_data):
    song_data = input_data + '/song_data/*/*/*/*.json'
    df = spark.read.json(song_data, schema=song_schema)

    songs_table = df.select('song_id', 'title', 'artist_id', 'year', 'duration').dropDuplicates(['song_id']) \
        .withColumn('year', F.when(F.col('year') == 0, None).otherwise(F.col('year')))
    songs_table.write.partitionBy('year', 'artist_id').mode('overwrite').parquet(output_data + '/songs')

    artists_table = df.select('artist_id', F.col('artist_name').alias('name'), F.col('artist_location').alias('location'),
                              F.col('artist_latitude').alias('latitude'), F.col('artist_longitude').alias('longitude')) \
        .dropDuplicates(['artist_id'])
    artists_table.write.mode('overwrite').parquet(output_data + '/artists')
    return df


def process_log_data(spark, input_data, output_data, song_df):
    log_data = input_data + '/log_data/*/*/*.json'
    df = spark.read.json(log_data, schema=log_schema)

    df = df.filter(F.col('page') == 'NextSong') \
        .withColumn('user_id', F.expr('try_cast(userId AS INT)')) \
        .filter((F.col('user_id') > 0) & F.col('song').isNotNull() & F.col('artist').isNotNull())
    df = df.withColumn('start_time', F.timestamp_millis(F.col('ts')))

    users_table = df.select('user_id', F.col('firstName').alias('first_name'), F.col('lastName').alias('last_name'),
                            'gender', 'level', F.col('start_time').alias('level_at')).dropDuplicates(['user_id'])
    users_table.write.mode('overwrite').parquet(output_data + '/users')

    time_table = df.select('start_time').dropDuplicates() \
        .withColumn('hour', F.hour('start_time')) \
        .withColumn('day', F.dayofmonth('start_time')) \
        .withColumn('week', F.weekofyear('start_time')) \
        .withColumn('weekday', F.dayofweek('start_time') - 1) \
        .withColumn('year', F.year('start_time')) \
        .withColumn('month', F.month('start_time'))
    time_table.write.partitionBy('year', 'month').mode('overwrite').parquet(output_data + '/time')

    catalog = song_df.select('title', 'artist_name', 'duration', 'song_id', 'artist_id') \
        .dropDuplicates(['title', 'artist_name', 'duration'])
    songplays_table = df.join(catalog, (df.song == catalog.title) & (df.artist == catalog.artist_name) & (df.length == catalog.duration), 'left') \
        .select(F.concat_ws(':', 'sessionId', 'itemInSession', 'user_id').alias('songplay_id'), 'start_time', 'user_id', 'level',
                'song_id', 'artist_id', F.col('sessionId').alias('session_id'), 'location', F.col('userAgent').alias('user_agent'),
                F.year('start_time').alias('year'), F.month('start_time').alias('month')) \
        .dropDuplicates(['songplay_id'])
    songplays_table.write.partitionBy('year', 'month').mode('overwrite').parquet(output_data + '/songplays')


def main():
    input_data, output_data, counts_file = sys.argv[1], sys.argv[2], sys.argv[3]
    spark = create_spark_session()
    started = time.time()
    song_df = process_song_data(spark, input_data, output_data)
    process_log_data(spark, input_data, output_data, song_df)
    seconds = time.time() - started
    counted = time.time()
    counts = {t: spark.read.parquet(output_data + '/' + t).count() for t in ['songs', 'artists', 'users', 'time', 'songplays']}
    with open(counts_file, 'w') as f:
        json.dump({'jobSeconds': seconds, 'countSeconds': time.time() - counted, 'tables': counts}, f)
    spark.stop()


if __name__ == '__main__':
    main()
