"""The transfer handler: the player and the price change hands together, exactly once.

The original app wrote the two capitals separately, credited the seller from the buyer's
balance and left the player in his old club; here every change is in one transaction.
"""

from events.commands import TransferPlayer
from events.domain_events import PlayerTransferred
from events.replies import Conflict
from events.values import LARGEST_NUMBER, TransferResult
from events.worker import CommandContext
from firestore_layout import club_key
from services.workers.changes import LeagueChanges
from services.workers.unit_of_work import UnitOfWork


def transfer_player(
    command: TransferPlayer, context: CommandContext, uow: UnitOfWork
) -> TransferResult:
    clubs = (command.from_club, command.to_club)
    return uow.run(command, context, TransferResult, _transfer, clubs)


def _transfer(command: TransferPlayer, league: LeagueChanges) -> TransferResult:
    season_id = league.season(command.season)
    seller = league.existing_club(season_id, command.from_club)
    buyer = league.existing_club(season_id, command.to_club)
    player = league.existing_player(season_id, seller.club, command.player)
    if club_key(seller.club) == club_key(buyer.club):
        raise Conflict(f"{player.name} already plays for {buyer.club}")
    if league.player(season_id, buyer.club, player.name) is not None:
        raise Conflict(f"{buyer.club} already has a player named {player.name!r}")
    if player.price > buyer.capital:
        raise Conflict(
            f"{buyer.club} cannot afford {player.name}: "
            f"{buyer.club} has {buyer.capital}, {player.name} costs {player.price}"
        )
    if seller.capital > LARGEST_NUMBER - player.price:
        raise Conflict(
            f"{seller.club} cannot be paid {player.price}: its capital would pass {LARGEST_NUMBER}"
        )
    moved = player.model_copy(update={"club": buyer.club})
    seller_capital, buyer_capital = seller.capital + player.price, buyer.capital - player.price
    league.delete_player(season_id, seller.club, player.name)
    league.save_player(season_id, moved)
    league.set_capital(season_id, seller.club, seller_capital)
    league.set_capital(season_id, buyer.club, buyer_capital)
    transferred = PlayerTransferred(
        season=season_id,
        player=player.name,
        price=player.price,
        from_club=seller.club,
        from_club_capital=seller_capital,
        to_club=buyer.club,
        to_club_capital=buyer_capital,
    )
    league.publish(transferred)
    return TransferResult(**{**transferred.model_dump(), "player": moved})
